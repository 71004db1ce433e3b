package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.topics.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A framework's level policy changing on the {@code frameworks} topic, through the whole topology. */
class PolicyChangeTopologyTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-20T09:00:00Z");
    private static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");
    private static final Operator ALEX = new Operator("acme:E5678", "Alex Kim", null);
    private static final Assessor SAM = new Assessor("acme:S77", null);
    private static final Framework CHEMICAL = SeedFrameworks.load().get(0);
    private static final LevelPolicy HALF = new LevelPolicy("plant", 1, 50, true, null);
    private static final LevelPolicy ALL = new LevelPolicy("plant", 2, 100, true, null);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frameworks;
    private TestInputTopic<String, byte[]> assessments;
    private TestOutputTopic<String, LevelDecision> achievements;

    private void start(LevelPolicies filePolicies) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluator-policy-change-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EvaluatorTopology.build(Clock.fixed(NOW, ZoneOffset.UTC),
                AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW, filePolicies, new EvaluatorMetrics(meters)), props);
        frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(), new StringSerializer(), new ByteArraySerializer());
        assessments = driver.createInputTopic(Topics.ASSESSMENTS.name(), new StringSerializer(), new ByteArraySerializer());
        achievements = driver.createOutputTopic(Topics.ACHIEVEMENTS.name(), new StringDeserializer(),
                Topics.ACHIEVEMENTS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void publish(LevelPolicy policy) {
        Framework framework = CHEMICAL.withLevelPolicy(policy);
        frameworks.pipeInput(framework.id().toString(),
                Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework));
    }

    /** Passes of the first {@code count} emerging statements, a minute apart. */
    private void passEmerging(Operator operator, int from, int count) {
        for (int i = from; i < from + count; i++) {
            AssessmentEvent pass = AssessmentEvent.recorded(operator.id() + "-" + i, MAY.plusSeconds(60L * i), "hr1", operator,
                    new StatementId(CHEMICAL.id(), Level.EMERGING, i), AssessmentResult.PASS, SAM, null);
            assessments.pipeInput(operator.id(), TestEvents.bytes(pass));
        }
    }

    private void checkPolicies() {
        driver.advanceWallClockTime(EvaluatorTopology.POLICY_CHECK_INTERVAL);
    }

    private KeyValueStore<String, PolicyRef> applied() {
        return driver.getKeyValueStore(EvaluatorTopology.APPLIED_POLICIES_STORE);
    }

    @Test
    void aTightenedPolicyLosesTheLevelOnceUnderTheNewRef() {
        start(LevelPolicies.defaults());
        publish(HALF);
        passEmerging(DANA, 1, 5);
        assertThat(achievements.readValuesToList()).singleElement().isInstanceOfSatisfying(LevelAchieved.class,
                a -> assertThat(a.policy()).isEqualTo(HALF.ref()));

        publish(ALL);
        checkPolicies();

        assertThat(achievements.readKeyValuesToList()).singleElement().satisfies(record -> {
            assertThat(record.key).isEqualTo(DANA.id());
            assertThat(record.value).isInstanceOfSatisfying(LevelLost.class, lost -> {
                assertThat(lost.level()).isEqualTo(Level.EMERGING);
                assertThat(lost.sequence()).isEqualTo(1);
                assertThat(lost.reason()).isEqualTo(LossReason.POLICY_CHANGED);
                assertThat(lost.policy()).isEqualTo(new PolicyRef("plant", 2));
                assertThat(lost.causedBy()).isNull();
                assertThat(lost.lostAt()).isEqualTo(MAY.plusSeconds(60L * 5));
                assertThat(lost.operator()).isEqualTo(DANA);
                assertThat(lost.detail()).contains("plant v2").contains("was plant v1");
            });
        });
        assertThat(applied().get(CHEMICAL.id().toString())).isEqualTo(ALL.ref());
        assertThat(driver.<String, OperatorProgress>getKeyValueStore(EvaluatorTopology.PROGRESS_STORE)
                .get(LedgerKey.progress(DANA.id(), CHEMICAL.id())).policy()).isEqualTo(ALL.ref());

        checkPolicies();
        assertThat(achievements.isEmpty()).as("a second check finds nothing left to do").isTrue();
        assertThat(meters.get(EvaluatorMetrics.DECISIONS).tag("type", "level.lost").counter().count()).isEqualTo(1);
    }

    @Test
    void aLoosenedPolicyAchievesTheLevelWithTheStatementsThatNowSuffice() {
        start(LevelPolicies.defaults());
        publish(new LevelPolicy("plant", 1, 100, true, null));
        passEmerging(DANA, 1, 5);
        passEmerging(ALEX, 1, 2);
        checkPolicies();
        assertThat(achievements.isEmpty()).isTrue();

        publish(new LevelPolicy("plant", 2, 50, true, null));
        checkPolicies();

        assertThat(achievements.readKeyValuesToList()).singleElement().satisfies(record -> {
            assertThat(record.key).isEqualTo(DANA.id());
            assertThat(record.value).isInstanceOfSatisfying(LevelAchieved.class, achieved -> {
                assertThat(achieved.level()).isEqualTo(Level.EMERGING);
                assertThat(achieved.sequence()).isEqualTo(1);
                assertThat(achieved.policy()).isEqualTo(new PolicyRef("plant", 2));
                assertThat(achieved.statements()).hasSize(5);
                assertThat(achieved.achievedAt()).isEqualTo(MAY.plusSeconds(60L * 5));
                assertThat(achieved.causedBy()).isNull();
            });
        });
        assertThat(driver.<String, OperatorProgress>getKeyValueStore(EvaluatorTopology.PROGRESS_STORE)
                .get(LedgerKey.progress(ALEX.id(), CHEMICAL.id())).policy())
                .as("operators with nothing to decide move to the new policy too").isEqualTo(new PolicyRef("plant", 2));
    }

    @Test
    void republishingTheSameVersionDecidesNothing() {
        start(LevelPolicies.defaults());
        publish(HALF);
        passEmerging(DANA, 1, 5);
        achievements.readValuesToList();
        checkPolicies();

        publish(HALF);
        frameworks.pipeInput(CHEMICAL.id().toString(), Topics.FRAMEWORKS.valueSerde().serializer()
                .serialize(Topics.FRAMEWORKS.name(), CHEMICAL.withLevelPolicy(HALF)));
        checkPolicies();
        passEmerging(DANA, 6, 1);

        assertThat(achievements.isEmpty()).isTrue();
        assertThat(applied().get(CHEMICAL.id().toString())).isEqualTo(HALF.ref());
    }

    @Test
    void aNewTaskRecordsTheEffectivePoliciesBeforeItsFirstRecordNotAfterTheFirstInterval() {
        start(LevelPolicies.defaults());
        publish(HALF);
        assertThat(applied().get(CHEMICAL.id().toString())).isNull();

        passEmerging(DANA, 1, 1);

        assertThat(applied().get(CHEMICAL.id().toString()))
                .as("recorded while the task's stores were empty: no scan of its operators is left to the interval")
                .isEqualTo(HALF.ref());
        assertThat(achievements.isEmpty()).isTrue();
    }

    @Test
    void theOperatorsNextEventAppliesAChangeBeforeTheCheckDoes() {
        start(LevelPolicies.defaults());
        publish(HALF);
        passEmerging(DANA, 1, 5);
        achievements.readValuesToList();

        publish(ALL);
        passEmerging(DANA, 6, 4);

        List<LevelDecision> decisions = achievements.readValuesToList();
        assertThat(decisions).singleElement().isInstanceOfSatisfying(LevelLost.class, lost -> {
            assertThat(lost.reason()).isEqualTo(LossReason.POLICY_CHANGED);
            assertThat(lost.causedBy()).isNull();
            assertThat(lost.policy()).isEqualTo(ALL.ref());
        });
        passEmerging(DANA, 10, 1);
        assertThat(achievements.readValuesToList()).singleElement().isInstanceOfSatisfying(LevelAchieved.class, a -> {
            assertThat(a.sequence()).isEqualTo(2);
            assertThat(a.causedBy()).isEqualTo(DANA.id() + "-10");
            assertThat(a.policy()).isEqualTo(ALL.ref());
        });
        checkPolicies();
        assertThat(achievements.isEmpty()).isTrue();
    }

    @Test
    void theFilesHigherVersionBeatsTheFrameworksAndAConflictIsCounted() {
        LevelPolicy fileV3 = new LevelPolicy("house", 3, 50, true, null);
        start(new LevelPolicies(LevelPolicy.DEFAULT, Map.of(CHEMICAL.id(), fileV3)));
        publish(ALL);
        passEmerging(DANA, 1, 5);
        assertThat(achievements.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.policy()).isEqualTo(fileV3.ref()));

        publish(new LevelPolicy("plant", 3, 100, true, null));
        checkPolicies();
        assertThat(achievements.isEmpty()).as("at equal versions the file's policy stays").isTrue();
        assertThat(meters.get(EvaluatorMetrics.POLICY_CONFLICTS).counter().count()).isEqualTo(1);

        publish(new LevelPolicy("plant", 4, 100, true, null));
        checkPolicies();
        assertThat(achievements.readValuesToList()).singleElement().isInstanceOfSatisfying(LevelLost.class,
                lost -> assertThat(lost.policy()).isEqualTo(new PolicyRef("plant", 4)));
    }
}
