package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.event.Rejection;
import io.credpipe.topics.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A year and more of one operator's evidence through the evaluator's topology, the clock moving
 * with it (an assessment from the future is refused, so the clock must): a level met under a
 * one-year evidence validity, renewed by a re-assessment of the pass it expired by first, then
 * lapsed when the next assessment comes after its validUntil.
 */
class RenewalTopologyTest {

    private static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");
    private static final Assessor SAM = new Assessor("acme:S77", null);
    private static final Framework CHEMICAL = SeedFrameworks.load().get(0)
            .withLevelPolicy(new LevelPolicy("yearly", 1, 100, true, Period.ofYears(1)));
    private static final Instant JANUARY = Instant.parse("2026-01-05T00:00:00Z");

    @TempDir
    Path stateDir;

    private final MovingClock clock = new MovingClock(JANUARY);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> assessments;
    private TestOutputTopic<String, LevelDecision> achievements;
    private TestOutputTopic<String, Rejection> rejected;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "renewal-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EvaluatorTopology.build(clock, AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW,
                LevelPolicies.defaults(), new EvaluatorMetrics(new SimpleMeterRegistry())), props);
        TestInputTopic<String, byte[]> frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(), new StringSerializer(),
                new ByteArraySerializer());
        frameworks.pipeInput(CHEMICAL.id().toString(),
                Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), CHEMICAL));
        assessments = driver.createInputTopic(Topics.ASSESSMENTS.name(), new StringSerializer(), new ByteArraySerializer());
        achievements = driver.createOutputTopic(Topics.ACHIEVEMENTS.name(), new StringDeserializer(),
                Topics.ACHIEVEMENTS.valueSerde().deserializer());
        rejected = driver.createOutputTopic(Topics.ASSESSMENTS_REJECTED.name(), new StringDeserializer(),
                Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aMetLevelIsRenewedByNewEvidenceAndLapsesAtItsValidUntil() {
        Instant day = Instant.parse("2026-01-01T00:00:00Z");
        int statements = CHEMICAL.statements(Level.EMERGING).size();
        for (int i = 1; i <= statements; i++) {
            send(pass("first-" + i, day.plusSeconds(60L * i), new StatementId(CHEMICAL.id(), Level.EMERGING, i)));
        }
        LevelAchieved first = (LevelAchieved) single();
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.validUntil()).isEqualTo(Instant.parse("2027-01-01T00:01:00Z"));

        Instant december = Instant.parse("2026-12-01T00:00:00Z");
        send(pass("too-early", december, new StatementId(CHEMICAL.id(), Level.EMERGING, 1)));
        assertThat(rejected.readValue().reason()).as("December's pass while the clock says January")
                .isEqualTo(RejectionReason.OCCURRED_IN_FUTURE);

        clock.now = december.plusSeconds(60);
        send(pass("again-1", december, new StatementId(CHEMICAL.id(), Level.EMERGING, 1)));
        LevelAchieved renewed = (LevelAchieved) single();
        assertThat(renewed.sequence()).as("a new credential; the first is superseded").isEqualTo(2);
        assertThat(renewed.validUntil()).as("statement 2 now expires first").isEqualTo(Instant.parse("2027-01-01T00:02:00Z"));

        Instant february = Instant.parse("2027-02-01T00:00:00Z");
        clock.now = february;
        send(pass("later", february, new StatementId(CHEMICAL.id(), Level.DEVELOPING, 1)));
        LevelLost lapsed = (LevelLost) single();
        assertThat(lapsed.reason()).isEqualTo(LossReason.EXPIRED);
        assertThat(lapsed.sequence()).isEqualTo(2);
    }

    private void send(AssessmentEvent event) {
        assessments.pipeInput(event.operatorId(), TestEvents.bytes(event));
    }

    private LevelDecision single() {
        List<LevelDecision> decisions = achievements.readValuesToList();
        assertThat(decisions).hasSize(1);
        return decisions.get(0);
    }

    private static AssessmentEvent pass(String eventId, Instant at, StatementId statement) {
        return AssessmentEvent.recorded(eventId, at, "hr1", DANA, statement, AssessmentResult.PASS, SAM, "observation");
    }

    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
