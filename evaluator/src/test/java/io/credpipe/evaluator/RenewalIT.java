package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.stream.EvaluatorTopology;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal and lapse on a real broker (DESIGN.md "Decision rule"): a level met under a one-year
 * evidence validity, renewed by a re-assessment of the pass it would expire by first (a new
 * achievement, the next sequence), then lost by expiry once an assessment comes after its
 * validUntil. Every event is dated in the past, so the real clock accepts them all.
 */
@ExtendWith(RealKafka.class)
class RenewalIT {

    @TempDir
    Path stateDir;

    @Test
    void aLevelIsRenewedThenLapsesEachDecisionOnce(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        Framework framework = TestEvents.renamed(SeedFrameworks.load().get(0), KafkaBroker.uniqueName("v.renewal"));
        String operatorId = KafkaBroker.uniqueName("acme:E");
        Operator operator = new Operator(operatorId, "Dana Ruiz", null);
        Instant start = Instant.now().minus(500, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        LevelPolicy yearly = new LevelPolicy("yearly", 1, 50, true, java.time.Period.ofYears(1));
        EvaluatorConfig config = new EvaluatorConfig(kafka.bootstrapServers(), KafkaBroker.uniqueName("evaluator-renewal-it"), stateDir);
        List<LevelDecision> decisions = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka);
                EvaluatorService evaluator = new EvaluatorService(config.withPolicies(policies(framework, yearly)))) {
            publish(producer, framework);
            for (int i = 1; i <= 5; i++) {
                send(producer, operator, framework, "first-" + i, start.plusSeconds(i), i);
            }
            send(producer, operator, framework, "again-1", start.plus(300, ChronoUnit.DAYS), 1);
            send(producer, operator, framework, "later-6", start.plus(400, ChronoUnit.DAYS), 6);
            producer.flush();
            evaluator.start();
            await(consumer, decisions, 3, operatorId);
            pollFor(consumer, decisions, Duration.ofSeconds(3), operatorId);
        }
        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(0)).isInstanceOfSatisfying(LevelAchieved.class, a -> {
            assertThat(a.sequence()).isEqualTo(1);
            assertThat(a.validUntil()).isEqualTo(start.plusSeconds(1).atZone(java.time.ZoneOffset.UTC).plusYears(1).toInstant());
        });
        assertThat(decisions.get(1)).isInstanceOfSatisfying(LevelAchieved.class, a -> {
            assertThat(a.sequence()).as("renewed: a new credential").isEqualTo(2);
            assertThat(a.causedBy()).isEqualTo(operatorId + "-again-1");
            assertThat(a.validUntil()).isEqualTo(start.plusSeconds(2).atZone(java.time.ZoneOffset.UTC).plusYears(1).toInstant());
        });
        assertThat(decisions.get(2)).isInstanceOfSatisfying(LevelLost.class, lost -> {
            assertThat(lost.reason()).isEqualTo(LossReason.EXPIRED);
            assertThat(lost.sequence()).isEqualTo(2);
        });
    }

    private static void send(KafkaProducer<String, byte[]> producer, Operator operator, Framework framework, String id,
            Instant at, int position) {
        AssessmentEvent pass = AssessmentEvent.recorded(operator.id() + "-" + id, at, "hr1", operator,
                new StatementId(framework.id(), Level.EMERGING, position), AssessmentResult.PASS, new Assessor("acme:S77", null), null);
        producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), operator.id(), TestEvents.bytes(pass)));
    }

    private static LevelPolicies policies(Framework framework, LevelPolicy policy) {
        return new LevelPolicies(LevelPolicy.DEFAULT, Map.of(framework.id(), policy));
    }

    private static void publish(KafkaProducer<String, byte[]> producer, Framework framework) throws Exception {
        producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework))).get();
    }

    private static void await(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions, int count, String operatorId) {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (decisions.size() < count) {
            assertThat(System.nanoTime()).as("waited %s for decision %d", KafkaBroker.PATIENCE, count).isLessThan(deadline);
            poll(consumer, decisions, operatorId);
        }
    }

    private static void pollFor(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions, Duration duration,
            String operatorId) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            poll(consumer, decisions, operatorId);
        }
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<LevelDecision> decisions, String operatorId) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (operatorId.equals(record.key())) {
                decisions.add(Topics.ACHIEVEMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
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
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("evaluator-renewal-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name()));
        return consumer;
    }
}
