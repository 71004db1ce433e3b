package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator on a real broker: one decision, exactly once, across a restart and a full replay. */
@ExtendWith(RealKafka.class)
class EvaluatorIT {


    @TempDir
    Path stateDir;

    @Test
    void decidesOnceAndNotAgainAfterARestartAndAReplay(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        // The broker is shared by every test in this JVM: keep this test's records apart by operator.
        String operatorId = KafkaBroker.uniqueName("acme:E");
        Operator operator = new Operator(operatorId, "Dana Ruiz", "dana@example.com");
        Framework chemical = SeedFrameworks.load().get(0);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<AssessmentEvent> passes = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            passes.add(AssessmentEvent.recorded(operatorId + "-" + i, yesterday.plusSeconds(i), "hr1", operator,
                    new StatementId(chemical.id(), Level.EMERGING, i), AssessmentResult.PASS, new Assessor("acme:S77", null),
                    "observation"));
        }

        try (KafkaProducer<String, byte[]> producer = producer(kafka);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            for (Framework framework : SeedFrameworks.load()) {
                producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                        Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework))).get();
            }
            send(producer, passes);

            String applicationId = KafkaBroker.uniqueName("evaluator-it");
            EvaluatorConfig config = new EvaluatorConfig(kafka.bootstrapServers(), applicationId, stateDir);
            List<LevelDecision> decisions = new ArrayList<>();
            try (EvaluatorService evaluator = new EvaluatorService(config)) {
                evaluator.start();
                assertThat(evaluator.isRunning()).isTrue();
                pollUntil(consumer, decisions, new ArrayList<>(), (d, r) -> !d.isEmpty(), operatorId);
                // A second decision, were there one, would follow in the same transaction or the next commit.
                pollFor(consumer, decisions, Duration.ofSeconds(2), operatorId);
                Javalin http = ProgressRoute.serve(evaluator, 0);
                try {
                    assertProgressServed(http.port(), operatorId);
                } finally {
                    http.stop();
                }
            }
            assertThat(decisions).singleElement().isInstanceOfSatisfying(LevelAchieved.class, achieved -> {
                assertThat(achieved.level()).isEqualTo(Level.EMERGING);
                assertThat(achieved.framework()).isEqualTo(chemical.id());
                assertThat(achieved.sequence()).isEqualTo(1);
                assertThat(achieved.operator()).isEqualTo(operator);
            });

            // The marker names a statement the framework lacks; it follows the replay on the same
            // partition, so once its rejection is out, the replay has been processed.
            AssessmentEvent marker = AssessmentEvent.recorded(operatorId + "-marker", yesterday, "hr1", operator,
                    new StatementId(chemical.id(), Level.EMERGING, 11), AssessmentResult.PASS, new Assessor("acme:S77", null),
                    null);
            List<AssessmentEvent> replay = new ArrayList<>(passes);
            replay.add(marker);
            send(producer, replay);
            List<LevelDecision> afterRestart = new ArrayList<>();
            List<Rejection> rejections = new ArrayList<>();
            // This time Kafka Streams knows where the HTTP server is, so the route reads the operator's partition.
            int port = ProgressRoute.freePort();
            try (EvaluatorService evaluator = new EvaluatorService(config.withStreamsOverrides(
                    Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port)))) {
                evaluator.start();
                pollUntil(consumer, afterRestart, rejections, (d, r) -> !r.isEmpty(), operatorId);
                Javalin http = ProgressRoute.serve(evaluator, port);
                try {
                    assertProgressServed(port, operatorId);
                    // Issue 16.6: an operator never heard of is 404; one whose only event was refused is on record, with no progress.
                    HttpResponse<String> unknown = ProgressRoute.get(port, KafkaBroker.uniqueName("acme:nobody"));
                    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
                    assertThat(unknown.body()).contains("operator-not-found");
                    String refusedOnly = KafkaBroker.uniqueName("acme:E");
                    send(producer, List.of(AssessmentEvent.recorded(refusedOnly + "-1", yesterday, "hr1",
                            new Operator(refusedOnly, null, null), new StatementId(chemical.id(), Level.EMERGING, 11),
                            AssessmentResult.PASS, new Assessor("acme:S77", null), null)));
                    HttpResponse<String> known = ProgressRoute.get(port, refusedOnly);
                    assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
                    assertThat(Json.newMapper().readTree(known.body()).path("frameworks").size()).isZero();
                } finally {
                    http.stop();
                }
            }
            assertThat(rejections).singleElement().satisfies(rejection -> {
                assertThat(rejection.eventId()).isEqualTo(marker.eventId());
                assertThat(rejection.reason()).isEqualTo(RejectionReason.UNKNOWN_STATEMENT);
            });
            assertThat(afterRestart).as("the replay decides nothing").isEmpty();
        }
    }

    /** The optional progress route, over real HTTP, from the running evaluator's stores. */
    private static void assertProgressServed(int port, String operatorId) throws Exception {
        String report = ProgressRoute.awaitReport(port, operatorId);
        JsonNode body = Json.newMapper().readTree(report);
        assertThat(body.path("operatorId").asText()).isEqualTo(operatorId);
        JsonNode frameworks = body.path("frameworks");
        assertThat(frameworks.size()).isEqualTo(1);
        JsonNode emerging = frameworks.get(0).path("levels").get(0);
        assertThat(emerging.path("level").asText()).isEqualTo("emerging");
        assertThat(emerging.path("met").asBoolean()).isTrue();
        assertThat(emerging.path("demonstrated").size()).isEqualTo(10);
        assertThat(frameworks.get(0).path("levels").get(1).path("missing").size()).isEqualTo(10);
        assertThat(report).doesNotContain("dana@example.com");
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<AssessmentEvent> events) throws Exception {
        for (AssessmentEvent event : events) {
            producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), event.operatorId(), TestEvents.bytes(event)));
        }
        producer.flush();
    }

    private interface Done {
        boolean test(List<LevelDecision> decisions, List<Rejection> rejections);
    }

    private static void pollUntil(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions,
            List<Rejection> rejections, Done done, String operatorId) {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (!done.test(decisions, rejections)) {
            assertThat(System.nanoTime()).as("waited %s for the evaluator", KafkaBroker.PATIENCE).isLessThan(deadline);
            poll(consumer, decisions, rejections, operatorId);
        }
    }

    private static void pollFor(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions, Duration duration,
            String operatorId) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            poll(consumer, decisions, new ArrayList<>(), operatorId);
        }
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions,
            List<Rejection> rejections, String operatorId) {
        Predicate<String> ours = key -> key != null && (key.equals(operatorId) || key.startsWith(operatorId + "-"));
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (!ours.test(record.key())) {
                continue;
            }
            if (record.topic().equals(Topics.ACHIEVEMENTS.name())) {
                decisions.add(Topics.ACHIEVEMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            } else {
                rejections.add(Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("evaluator-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name(), Topics.ASSESSMENTS_REJECTED.name()));
        return consumer;
    }
}
