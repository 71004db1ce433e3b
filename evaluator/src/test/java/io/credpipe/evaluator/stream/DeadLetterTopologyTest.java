package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.IndexedEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
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
import io.credpipe.topics.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: one record the evaluator cannot process must not stop it. The trigger is the one of the
 * issue, a pass under an evidence validity of 999,999,999 years, whose expiry overflows
 * {@code java.time}; the policy format now refuses such a policy at the door, so it comes in here
 * through the policies given in code, standing for any input no rule foresaw.
 */
class DeadLetterTopologyTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-20T09:00:00Z");
    private static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");
    private static final Operator ALEX = new Operator("acme:E5678", "Alex Kim", null);
    private static final Assessor SAM = new Assessor("acme:S77", null);
    private static final List<Framework> SEEDS = SeedFrameworks.load();
    private static final Framework BROKEN = SEEDS.get(0);
    private static final Framework SOUND = SEEDS.get(1);
    private static final LevelPolicy OVERFLOWING = new LevelPolicy("p", 1, 100, true, Period.ofYears(999_999_999));

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private static AssessmentEvent pass(Operator operator, String eventId, Framework framework, Level level, int position) {
        return AssessmentEvent.recorded(eventId, MAY, "hr1", operator, new StatementId(framework.id(), level, position),
                AssessmentResult.PASS, SAM, "observation");
    }

    @Test
    void aRecordThatCannotBeProcessedIsSetAsideWithItsReasonAndTheRestFlowsOn() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EvaluatorTopology.build(Clock.fixed(NOW, ZoneOffset.UTC),
                AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW, LevelPolicies.defaults().with(BROKEN.id(), OVERFLOWING),
                new EvaluatorMetrics(meters)), props);
        TestInputTopic<String, byte[]> frameworks =
                driver.createInputTopic(Topics.FRAMEWORKS.name(), new StringSerializer(), new ByteArraySerializer());
        TestInputTopic<String, byte[]> assessments =
                driver.createInputTopic(Topics.ASSESSMENTS.name(), new StringSerializer(), new ByteArraySerializer());
        TestOutputTopic<String, LevelDecision> achievements = driver.createOutputTopic(Topics.ACHIEVEMENTS.name(),
                new StringDeserializer(), Topics.ACHIEVEMENTS.valueSerde().deserializer());
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(Topics.ASSESSMENTS_DEAD_LETTER.name(),
                new StringDeserializer(), Topics.ASSESSMENTS_DEAD_LETTER.valueSerde().deserializer());
        for (Framework framework : SEEDS) {
            frameworks.pipeInput(framework.id().toString(),
                    Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework));
        }

        AssessmentEvent fatal = pass(DANA, "e1", BROKEN, Level.EMERGING, 1);
        assessments.pipeInput(DANA.id(), TestEvents.bytes(fatal));
        List<KeyValue<String, DeadLetter>> set = deadLetters.readKeyValuesToList();
        assertThat(set).hasSize(1);
        assertThat(set.get(0).key).as("keyed like its input").isEqualTo(DANA.id());
        DeadLetter letter = set.get(0).value;
        assertThat(letter.stage()).isEqualTo("evaluator");
        assertThat(letter.reason()).startsWith("DateTimeException");
        assertThat(letter.failedAt()).isEqualTo(NOW);
        assertThat(letter.topic()).isEqualTo(Topics.ASSESSMENTS.name());
        assertThat(letter.original()).isEqualTo(new String(TestEvents.bytes(fatal), StandardCharsets.UTF_8));
        assertThat(meters.get(EvaluatorMetrics.DEAD_LETTERS).tag("stage", "evaluator").counter().count()).isEqualTo(1.0);
        assertThat(driver.getKeyValueStore(EvaluatorTopology.PROGRESS_STORE).get(LedgerKey.progress(DANA.id(), BROKEN.id())))
                .as("nothing of the failed record is half applied").isNull();
        assertThat(driver.getKeyValueStore(EvaluatorTopology.EVENTS_STORE).get(LedgerKey.event(DANA.id(), IndexedEvent.key("hr1", "e1")))).isNull();

        // The same operator's next record, and another operator's, are processed as before.
        int emerging = SOUND.statements(Level.EMERGING).size();
        for (Operator operator : List.of(DANA, ALEX)) {
            for (int i = 1; i <= emerging; i++) {
                assessments.pipeInput(operator.id(), TestEvents.bytes(pass(operator, "s" + i, SOUND, Level.EMERGING, i)));
            }
        }
        assertThat(achievements.readValuesToList()).extracting(d -> ((LevelAchieved) d).operator().id())
                .containsExactly(DANA.id(), ALEX.id());
        assertThat(deadLetters.isEmpty()).isTrue();
    }
}
