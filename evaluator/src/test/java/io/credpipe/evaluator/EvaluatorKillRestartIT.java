package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.evaluator.rule.History;
import io.credpipe.evaluator.rule.ReferenceModel;
import io.credpipe.evaluator.rule.DecisionRulePropertiesTest;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

/**
 * Kills evaluator instances on a real broker while thousands of events are in flight and checks
 * that, across the kills, a takeover by a second instance and a restart on the killed instance's
 * (dirty) state directory, every operator's transitions on {@code achievements} are exactly the
 * {@link ReferenceModel}'s: none missing, none twice, in order; and every rejection is published once.
 */
@ExtendWith(RealKafka.class)
class EvaluatorKillRestartIT {

    private static final int OPERATORS = 200;
    private static final int STEPS_PER_OPERATOR = 30;

    @TempDir
    Path stateA;

    @TempDir
    Path stateB;

    @Test
    void killedAndRestartedInstancesEmitEveryTransitionExactlyOnce(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        List<Framework> seeds = SeedFrameworks.load();
        Map<FrameworkId, LevelPolicy> policyOf = Map.of(
                seeds.get(0).id(), new LevelPolicy("three-years", 1, 60, true, Period.ofYears(3)),
                seeds.get(1).id(), new LevelPolicy("half-independent", 2, 50, false, null));

        String prefix = KafkaBroker.uniqueName("kill");
        Random random = new Random(20260522L);
        Map<String, List<ReferenceModel.Transition>> expected = new TreeMap<>();
        Map<String, Integer> expectedRejections = new HashMap<>();
        List<AssessmentEvent> sent = new ArrayList<>();
        int expectedDecisions = 0;
        for (int o = 0; o < OPERATORS; o++) {
            Operator operator = new Operator(prefix + ":E" + o, "Operator " + o, null);
            ReferenceModel reference = new ReferenceModel(seeds, policyOf, History.NOW, AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW);
            List<ReferenceModel.Transition> transitions = new ArrayList<>();
            for (AssessmentEvent event : History.events(History.random(random, STEPS_PER_OPERATOR), seeds, operator)) {
                ReferenceModel.Outcome outcome = reference.arrive(event);
                transitions.addAll(outcome.transitions());
                if (outcome.rejected() != null) {
                    expectedRejections.merge(TestEvents.json(event) + " " + outcome.rejected().id(), 1, Integer::sum);
                }
                sent.add(event);
            }
            expected.put(operator.id(), transitions);
            expectedDecisions += transitions.size();
        }

        Map<String, List<ReferenceModel.Transition>> observed = new TreeMap<>();
        Map<String, Integer> observedRejections = new HashMap<>();
        String applicationId = KafkaBroker.uniqueName("evaluator-kill");
        EvaluatorConfig configA = config(kafka, applicationId, stateA, policyOf);
        EvaluatorConfig configB = config(kafka, applicationId, stateB, policyOf);

        try (KafkaProducer<String, byte[]> producer = producer(kafka);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            for (Framework framework : seeds) {
                producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                        Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework))).get();
            }
            for (AssessmentEvent event : sent) {
                producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), event.operatorId(), TestEvents.bytes(event)));
            }
            producer.flush();
            Tally tally = new Tally(consumer, prefix, observed, observedRejections);

            EvaluatorService a = new EvaluatorService(configA);
            EvaluatorService b = new EvaluatorService(configB);
            EvaluatorService restartedA = new EvaluatorService(configA);
            try {
                a.start();
                tally.await(expectedDecisions * 3 / 10);
                b.start();
                tally.await(expectedDecisions / 2);
                int atFirstKill = tally.decisions();
                kill(a);
                tally.await(expectedDecisions * 7 / 10);
                restartedA.start();
                kill(b);
                int atSecondKill = tally.decisions();
                tally.await(expectedDecisions);
                // A partition's last events may decide nothing: its rejections can still be on their way.
                tally.awaitRejections(expectedRejections.values().stream().mapToInt(Integer::intValue).sum());
                // Anything emitted twice would be committed in the same or the next transaction.
                tally.pollFor(Duration.ofSeconds(3));
                System.out.printf("kill-and-restart: %d events, %d decisions expected; killed at %d and %d%n",
                        sent.size(), expectedDecisions, atFirstKill, atSecondKill);
            } finally {
                restartedA.close();
                b.close();
                a.close();
            }
        }

        assertThat(observed.keySet()).isSubsetOf(expected.keySet());
        for (var entry : expected.entrySet()) {
            assertThat(observed.getOrDefault(entry.getKey(), List.of())).as("transitions of %s", entry.getKey())
                    .isEqualTo(entry.getValue());
        }
        assertThat(observedRejections).isEqualTo(expectedRejections);
    }

    /** Stops an instance without waiting and without leaving the group, as close to a crash as in-process gets. */
    private static void kill(EvaluatorService service) throws InterruptedException {
        KafkaStreams streams = service.streams();
        streams.close(Duration.ZERO);
        // Its restart reuses the state directory, whose lock the dying threads hold until they stop.
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (streams.state() != KafkaStreams.State.NOT_RUNNING && streams.state() != KafkaStreams.State.ERROR) {
            assertThat(System.nanoTime()).as("killed instance stopping").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static EvaluatorConfig config(KafkaBroker kafka, String applicationId, Path stateDir,
            Map<FrameworkId, LevelPolicy> policyOf) {
        return new EvaluatorConfig(kafka.bootstrapServers(), applicationId, stateDir)
                .withClock(Clock.fixed(History.NOW, ZoneOffset.UTC))
                .withPolicies(new LevelPolicies(LevelPolicy.DEFAULT, policyOf))
                // A killed member does not leave the group: keep the wait for its session to expire short.
                .withStreamsOverrides(Map.of(
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000,
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000));
    }

    /** What the read_committed consumer has seen of this test's operators. */
    private record Tally(KafkaConsumer<String, byte[]> consumer, String prefix,
            Map<String, List<ReferenceModel.Transition>> observed, Map<String, Integer> rejections) {

        int decisions() {
            return observed.values().stream().mapToInt(List::size).sum();
        }

        void await(int decisions) {
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.multipliedBy(2).toNanos();
            while (decisions() < decisions) {
                assertThat(System.nanoTime()).as("waited for %d decisions, have %d", decisions, decisions())
                        .isLessThan(deadline);
                poll();
            }
        }

        void awaitRejections(int count) {
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.multipliedBy(2).toNanos();
            while (rejections.values().stream().mapToInt(Integer::intValue).sum() < count) {
                assertThat(System.nanoTime()).as("waited for %d rejections, have %s", count, rejections.size())
                        .isLessThan(deadline);
                poll();
            }
        }

        void pollFor(Duration duration) {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                poll();
            }
        }

        private void poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.topic().equals(Topics.ACHIEVEMENTS.name())) {
                    if (record.key() != null && record.key().startsWith(prefix + ":")) {
                        LevelDecision decision = Topics.ACHIEVEMENTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value());
                        observed.computeIfAbsent(record.key(), k -> new ArrayList<>())
                                .add(DecisionRulePropertiesTest.transition(decision));
                    }
                } else {
                    Rejection rejection = Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (rejection.original() != null && rejection.original().contains("\"" + prefix + ":")) {
                        rejections.merge(rejection.original() + " " + rejection.reason().id(), 1, Integer::sum);
                    }
                }
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("evaluator-kill-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name(), Topics.ASSESSMENTS_REJECTED.name()));
        return consumer;
    }
}
