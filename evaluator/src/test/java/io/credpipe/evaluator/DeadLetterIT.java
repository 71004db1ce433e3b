package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.DeadLetter;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 on a real broker: a record the evaluator cannot process is set aside and the evaluator
 * keeps running; a client whose stream thread does die says so ({@link EvaluatorService#hasFailed}),
 * which the app's {@code /health/live} reports.
 */
@ExtendWith(RealKafka.class)
class DeadLetterIT {

    private static final List<Framework> SEEDS = SeedFrameworks.load();
    private static final Framework BROKEN = SEEDS.get(0);
    private static final Framework SOUND = SEEDS.get(1);
    private static final Assessor SAM = new Assessor("acme:S77", null);

    @TempDir
    Path stateDir;

    @Test
    void aRecordThatCannotBeProcessedGoesToTheDeadLetterTopicAndTheEvaluatorRunsOn(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        Operator operator = new Operator(KafkaBroker.uniqueName("acme:E"), "Dana Ruiz", null);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        // Refused at the door since issue 19; given in code here, it stands for any input no rule foresaw.
        LevelPolicies policies = LevelPolicies.defaults()
                .with(BROKEN.id(), new LevelPolicy("p", 1, 100, true, Period.ofYears(999_999_999)));
        AssessmentEvent fatal = pass(operator, "fatal", yesterday, BROKEN, 1);
        List<AssessmentEvent> events = new ArrayList<>(List.of(fatal));
        for (int i = 1; i <= SOUND.statements(Level.EMERGING).size(); i++) {
            events.add(pass(operator, "sound-" + i, yesterday.plusSeconds(i), SOUND, i));
        }
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            publishFrameworks(producer);
            for (AssessmentEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), event.operatorId(), TestEvents.bytes(event)));
            }
            producer.flush();

            EvaluatorConfig config = new EvaluatorConfig(kafka.bootstrapServers(), KafkaBroker.uniqueName("dead-letter-it"),
                    stateDir).withPolicies(policies);
            List<DeadLetter> letters = new ArrayList<>();
            List<LevelDecision> decisions = new ArrayList<>();
            try (EvaluatorService evaluator = new EvaluatorService(config)) {
                evaluator.start();
                long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
                while (letters.isEmpty() || decisions.isEmpty()) {
                    assertThat(System.nanoTime()).as("waited %s for the evaluator", KafkaBroker.PATIENCE).isLessThan(deadline);
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (!operator.id().equals(record.key())) {
                            continue;
                        }
                        if (record.topic().equals(Topics.ASSESSMENTS_DEAD_LETTER.name())) {
                            letters.add(Topics.ASSESSMENTS_DEAD_LETTER.valueSerde().deserializer()
                                    .deserialize(record.topic(), record.value()));
                        } else {
                            decisions.add(Topics.ACHIEVEMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                        }
                    }
                }
                assertThat(evaluator.isRunning()).isTrue();
                assertThat(evaluator.hasFailed()).isFalse();
            }
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.stage()).isEqualTo("evaluator");
                assertThat(letter.reason()).startsWith("DateTimeException");
                assertThat(letter.topic()).isEqualTo(Topics.ASSESSMENTS.name());
                assertThat(letter.original()).contains("\"eventId\":\"" + fatal.eventId() + "\"");
            });
            assertThat(decisions).singleElement().isInstanceOfSatisfying(LevelAchieved.class,
                    achieved -> assertThat(achieved.framework()).isEqualTo(SOUND.id()));
        }
    }

    @Test
    void aClientWhoseStreamThreadDiedHasFailed(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        Operator operator = new Operator(KafkaBroker.uniqueName("acme:E"), "Alex Kim", null);
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            publishFrameworks(producer);
            AssessmentEvent event = pass(operator, "any", Instant.now().minus(1, ChronoUnit.DAYS), SOUND, 1);
            producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), event.operatorId(), TestEvents.bytes(event))).get();
        }
        // A producer that can send nothing the evaluator writes: the first write fails the stream
        // thread (RecordTooLargeException), which no record handling can catch, and the client shuts down.
        EvaluatorConfig config = new EvaluatorConfig(kafka.bootstrapServers(), KafkaBroker.uniqueName("dead-client-it"), stateDir)
                .withStreamsOverrides(Map.of(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 64));
        try (EvaluatorService evaluator = new EvaluatorService(config)) {
            assertThat(evaluator.hasFailed()).as("not started is not failed").isFalse();
            evaluator.start();
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (!evaluator.hasFailed()) {
                assertThat(System.nanoTime()).as("waited %s for the stream thread to die", KafkaBroker.PATIENCE).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(evaluator.isRunning()).isFalse();
        }
    }

    private static AssessmentEvent pass(Operator operator, String id, Instant at, Framework framework, int position) {
        return AssessmentEvent.recorded(operator.id() + "-" + id, at, "hr1", operator,
                new StatementId(framework.id(), Level.EMERGING, position), AssessmentResult.PASS, SAM, "observation");
    }

    private static void publishFrameworks(KafkaProducer<String, byte[]> producer) throws Exception {
        for (Framework framework : SEEDS) {
            producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                    Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework))).get();
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
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("dead-letter-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ACHIEVEMENTS.name(), Topics.ASSESSMENTS_DEAD_LETTER.name()));
        return consumer;
    }
}
