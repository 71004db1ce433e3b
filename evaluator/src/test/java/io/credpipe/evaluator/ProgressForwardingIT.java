package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.http.ProgressQueries;
import io.credpipe.evaluator.rule.TestEvents;
import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two evaluator instances: either answers the progress of every operator, forwarding to the owner when needed. */
@ExtendWith(RealKafka.class)
class ProgressForwardingIT {


    private static final int OPERATORS = 12;

    @TempDir
    Path stateOne;

    @TempDir
    Path stateTwo;

    @Test
    void eitherInstanceAnswersForEveryOperator(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        Framework chemical = SeedFrameworks.load().get(0);
        String prefix = KafkaBroker.uniqueName("fwd");
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> operators = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                        Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework))).get();
            }
            for (int o = 0; o < OPERATORS; o++) {
                // A space and a slash in the id: the forwarded URL must encode them.
                Operator operator = new Operator(prefix + ":E " + o + "/x", null, null);
                operators.add(operator.id());
                for (int i = 1; i <= 10; i++) {
                    AssessmentEvent pass = AssessmentEvent.recorded(prefix + "-" + o + "-" + i, yesterday.plusSeconds(i), "hr1",
                            operator, new StatementId(chemical.id(), Level.EMERGING, i), AssessmentResult.PASS,
                            new Assessor("acme:S77", null), null);
                    producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), operator.id(), TestEvents.bytes(pass)));
                }
            }
            producer.flush();
        }

        String applicationId = KafkaBroker.uniqueName("evaluator-fwd");
        int portOne = ProgressRoute.freePort();
        int portTwo = ProgressRoute.freePort();
        try (EvaluatorService one = instance(kafka, applicationId, stateOne, portOne);
                EvaluatorService two = instance(kafka, applicationId, stateTwo, portTwo)) {
            one.start();
            two.start();
            awaitAchievements(kafka, prefix);
            awaitRunning(one);
            awaitRunning(two);
            Javalin httpOne = ProgressRoute.serve(one, portOne);
            Javalin httpTwo = ProgressRoute.serve(two, portTwo);
            try {
                ProgressQueries endpoint = one.progressQueries();
                int remote = 0;
                for (String operatorId : operators) {
                    remote += endpoint.remoteOwner(operatorId).isPresent() ? 1 : 0;
                    for (int port : List.of(portOne, portTwo)) {
                        JsonNode body = Json.newMapper().readTree(ProgressRoute.awaitReport(port, operatorId));
                        assertThat(body.path("operatorId").asText()).isEqualTo(operatorId);
                        JsonNode emerging = body.path("frameworks").get(0).path("levels").get(0);
                        assertThat(emerging.path("met").asBoolean()).as("%s via %d", operatorId, port).isTrue();
                        assertThat(emerging.path("demonstrated").size()).isEqualTo(10);
                    }
                }
                assertThat(remote).as("operators the first instance had to forward").isBetween(1, OPERATORS - 1);
            } finally {
                httpOne.stop();
                httpTwo.stop();
            }
        }
    }

    private static EvaluatorService instance(KafkaBroker kafka, String applicationId, Path stateDir, int port) {
        return new EvaluatorService(new EvaluatorConfig(kafka.bootstrapServers(), applicationId, stateDir)
                .withStreamsOverrides(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port)));
    }

    private static void awaitRunning(EvaluatorService evaluator) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (evaluator.streams().state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("evaluator running").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitAchievements(KafkaBroker kafka, String prefix) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("evaluator-fwd-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name()));
            int seen = 0;
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (seen < OPERATORS) {
                assertThat(System.nanoTime()).as("achievements, %d seen", seen).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen += record.key() != null && record.key().startsWith(prefix + ":") ? 1 : 0;
                }
            }
        }
    }

}
