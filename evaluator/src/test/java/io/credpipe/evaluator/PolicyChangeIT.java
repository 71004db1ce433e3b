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
 * Policy changes on a real broker: another policy file at a restart, then a framework published with
 * a higher-version policy while running, then a restart with nothing changed. Each change's
 * transitions come out once; the last restart decides nothing.
 */
@ExtendWith(RealKafka.class)
class PolicyChangeIT {

    /** Longer than a policy check plus a commit: what was not published by then was not decided. */
    private static final Duration QUIET = EvaluatorTopology.POLICY_CHECK_INTERVAL.multipliedBy(2).plusSeconds(2);

    @TempDir
    Path stateDir;

    @Test
    void eachPolicyChangeDecidesOnceAcrossRestarts(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        // The frameworks topic is shared by every test on this broker: a framework id of this test's own.
        Framework framework = TestEvents.renamed(SeedFrameworks.load().get(0), KafkaBroker.uniqueName("v.policy"));
        String operatorId = KafkaBroker.uniqueName("acme:E");
        Operator operator = new Operator(operatorId, "Dana Ruiz", null);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        LevelPolicy fileV1 = new LevelPolicy("file", 1, 50, true, null);
        LevelPolicy fileV2 = new LevelPolicy("file", 2, 100, true, null);
        LevelPolicy topicV3 = new LevelPolicy("topic", 3, 50, true, null);

        String applicationId = KafkaBroker.uniqueName("evaluator-policy-it");
        EvaluatorConfig config = new EvaluatorConfig(kafka.bootstrapServers(), applicationId, stateDir);
        List<LevelDecision> decisions = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            publish(producer, framework);
            for (int i = 1; i <= 5; i++) {
                AssessmentEvent pass = AssessmentEvent.recorded(operatorId + "-" + i, yesterday.plusSeconds(i), "hr1", operator,
                        new StatementId(framework.id(), Level.EMERGING, i), AssessmentResult.PASS, new Assessor("acme:S77", null),
                        null);
                producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), operatorId, TestEvents.bytes(pass)));
            }
            producer.flush();

            try (EvaluatorService evaluator = new EvaluatorService(config.withPolicies(policies(framework, fileV1)))) {
                evaluator.start();
                await(consumer, decisions, 1, operatorId);
            }
            assertThat(decisions.get(0)).isInstanceOfSatisfying(LevelAchieved.class,
                    a -> assertThat(a.policy()).isEqualTo(fileV1.ref()));

            try (EvaluatorService evaluator = new EvaluatorService(config.withPolicies(policies(framework, fileV2)))) {
                evaluator.start();
                await(consumer, decisions, 2, operatorId);
                publish(producer, framework.withLevelPolicy(topicV3));
                await(consumer, decisions, 3, operatorId);
                pollFor(consumer, decisions, QUIET, operatorId);
            }
            assertThat(decisions.get(1)).isInstanceOfSatisfying(LevelLost.class, lost -> {
                assertThat(lost.reason()).isEqualTo(LossReason.POLICY_CHANGED);
                assertThat(lost.policy()).isEqualTo(fileV2.ref());
                assertThat(lost.sequence()).isEqualTo(1);
                assertThat(lost.causedBy()).isNull();
            });
            assertThat(decisions.get(2)).isInstanceOfSatisfying(LevelAchieved.class, achieved -> {
                assertThat(achieved.policy()).isEqualTo(topicV3.ref());
                assertThat(achieved.sequence()).isEqualTo(2);
                assertThat(achieved.statements()).hasSize(5);
            });

            try (EvaluatorService evaluator = new EvaluatorService(config.withPolicies(policies(framework, fileV2)))) {
                evaluator.start();
                pollFor(consumer, decisions, QUIET, operatorId);
            }
            assertThat(decisions).as("a restart with the same policies decides nothing again").hasSize(3);
        }
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
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("evaluator-policy-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name()));
        return consumer;
    }
}
