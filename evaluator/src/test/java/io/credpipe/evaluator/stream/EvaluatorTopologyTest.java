package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.IndexedEvent;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.evaluator.rule.TestEvents;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTopologyTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-20T09:00:00Z");
    private static final Operator DANA = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");
    private static final Assessor SAM = new Assessor("acme:S77", null);
    private static final List<Framework> SEEDS = SeedFrameworks.load();
    private static final Framework CHEMICAL = SEEDS.get(0);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frameworks;
    private TestInputTopic<String, byte[]> assessments;
    private TestOutputTopic<String, LevelDecision> achievements;
    private TestOutputTopic<String, Rejection> rejected;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluator-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EvaluatorTopology.build(Clock.fixed(NOW, ZoneOffset.UTC),
                AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW, LevelPolicies.defaults(), new EvaluatorMetrics(meters)), props);
        frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(), new StringSerializer(), new ByteArraySerializer());
        assessments = driver.createInputTopic(Topics.ASSESSMENTS.name(), new StringSerializer(), new ByteArraySerializer());
        achievements = driver.createOutputTopic(Topics.ACHIEVEMENTS.name(), new StringDeserializer(),
                Topics.ACHIEVEMENTS.valueSerde().deserializer());
        rejected = driver.createOutputTopic(Topics.ASSESSMENTS_REJECTED.name(), new StringDeserializer(),
                Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer());
        for (Framework framework : SEEDS) {
            frameworks.pipeInput(framework.id().toString(),
                    Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework));
        }
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static StatementId emerging(int position) {
        return new StatementId(CHEMICAL.id(), Level.EMERGING, position);
    }

    private static AssessmentEvent pass(String eventId, Instant at, StatementId statement) {
        return AssessmentEvent.recorded(eventId, at, "hr1", DANA, statement, AssessmentResult.PASS, SAM, "observation");
    }

    private static List<AssessmentEvent> emergingPasses() {
        List<AssessmentEvent> events = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            events.add(pass("hr1-" + i, MAY.plusSeconds(60L * i), emerging(i)));
        }
        return events;
    }

    private void send(AssessmentEvent event) {
        assessments.pipeInput(event.operatorId(), TestEvents.bytes(event));
    }

    private void send(String key, String value) {
        assessments.pipeInput(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private Rejection onlyRejection(RejectionReason reason, String key) {
        List<KeyValue<String, Rejection>> records = rejected.readKeyValuesToList();
        assertThat(records).as("rejections for %s", reason).hasSize(1);
        assertThat(records.get(0).key).isEqualTo(key);
        Rejection rejection = records.get(0).value;
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.stage()).isEqualTo("evaluator");
        assertThat(rejection.rejectedAt()).isEqualTo(NOW);
        return rejection;
    }

    @Test
    void tenEmergingPassesAchieveEmergingOnce() {
        emergingPasses().forEach(this::send);

        List<KeyValue<String, LevelDecision>> decisions = achievements.readKeyValuesToList();
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).key).isEqualTo("acme:E1234");
        LevelAchieved achieved = (LevelAchieved) decisions.get(0).value;
        assertThat(achieved.level()).isEqualTo(Level.EMERGING);
        assertThat(achieved.framework()).isEqualTo(CHEMICAL.id());
        assertThat(achieved.sequence()).isEqualTo(1);
        assertThat(achieved.statements()).hasSize(10);
        assertThat(achieved.causedBy()).isEqualTo("hr1-10");
        assertThat(achieved.operator()).isEqualTo(DANA);
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(meters.get(EvaluatorMetrics.DECISIONS).tag("type", "level.achieved").counter().count()).isEqualTo(1);
        assertThat(meters.get(EvaluatorMetrics.DECISIONS).tag("type", "level.lost").counter().count()).isZero();
        assertThat(meters.get(EvaluatorMetrics.EVENTS).tag("outcome", "accepted").counter().count()).isEqualTo(10);
        assertThat(driver.getKeyValueStore(EvaluatorTopology.PROGRESS_STORE).get(LedgerKey.progress("acme:E1234", CHEMICAL.id())))
                .isInstanceOf(OperatorProgress.class);
    }

    @Test
    void aReplayPublishesNothing() {
        emergingPasses().forEach(this::send);
        assertThat(achievements.readValuesToList()).hasSize(1);

        emergingPasses().forEach(this::send);
        assertThat(achievements.isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(meters.get(EvaluatorMetrics.EVENTS).tag("outcome", "replay").counter().count()).isEqualTo(10);
    }

    @Test
    void aRetractionOfAReliedPassLosesTheLevel() {
        emergingPasses().forEach(this::send);
        achievements.readValuesToList();
        send(AssessmentEvent.retracted("hr1-99", MAY.plusSeconds(3600), "hr1", DANA, "hr1-4", "entered in error"));

        List<LevelDecision> decisions = achievements.readValuesToList();
        assertThat(decisions).singleElement().isInstanceOfSatisfying(LevelLost.class, lost -> {
            assertThat(lost.reason()).isEqualTo(LossReason.RETRACTED);
            assertThat(lost.sequence()).isEqualTo(1);
            assertThat(lost.causedBy()).isEqualTo("hr1-99");
        });
    }

    @Test
    void malformedJsonIsCarriedUnchangedUnderTheRecordKey() {
        String garbage = "{\"eventId\": \"hr1-1\", oops";
        send("acme:E1234", garbage);
        Rejection rejection = onlyRejection(RejectionReason.MALFORMED_JSON, "acme:E1234");
        assertThat(rejection.original()).isEqualTo(garbage);
        assertThat(rejection.eventId()).isNull();
    }

    @Test
    void eachRejectionReasonReachesTheRejectedTopic() {
        AssessmentEvent first = pass("hr1-1", MAY, emerging(1));
        String firstJson = TestEvents.json(first);

        send("acme:E1234", "[]");
        onlyRejection(RejectionReason.MALFORMED_JSON, "acme:E1234");

        String noResult = firstJson.replace("\"result\":\"pass\",", "");
        send("acme:E1234", noResult);
        Rejection invalid = onlyRejection(RejectionReason.INVALID_FIELD, "hr1-1");
        assertThat(invalid.pointer()).isEqualTo("/result");
        assertThat(invalid.original()).isEqualTo(noResult);

        send("acme:E9999", firstJson);
        assertThat(onlyRejection(RejectionReason.MISSING_OPERATOR, "hr1-1").pointer()).isEqualTo("/operator/id");

        send(pass("hr1-2", MAY, new StatementId(new io.credpipe.model.framework.FrameworkId("99-9999.00", "v1"), Level.EMERGING, 1)));
        assertThat(onlyRejection(RejectionReason.UNKNOWN_FRAMEWORK, "hr1-2").pointer()).isEqualTo("/statementId");

        send(pass("hr1-3", MAY, emerging(11)));
        assertThat(onlyRejection(RejectionReason.UNKNOWN_STATEMENT, "hr1-3").pointer()).isEqualTo("/statementId");

        send(pass("hr1-4", NOW.plus(Duration.ofMinutes(6)), emerging(1)));
        assertThat(onlyRejection(RejectionReason.OCCURRED_IN_FUTURE, "hr1-4").pointer()).isEqualTo("/occurredAt");

        send(AssessmentEvent.retracted("hr1-5", MAY, "hr1", DANA, "hr1-nothing", null));
        onlyRejection(RejectionReason.UNKNOWN_RETRACTION_TARGET, "hr1-5");

        send(first);
        send(AssessmentEvent.retracted("hr1-6", MAY, "hr1", DANA, "hr1-1", null));
        send(AssessmentEvent.retracted("hr1-7", MAY, "hr1", DANA, "hr1-1", null));
        onlyRejection(RejectionReason.ALREADY_RETRACTED, "hr1-7");

        send(AssessmentEvent.recorded("hr1-1", MAY, "hr1", DANA, emerging(1), AssessmentResult.FAIL, SAM, "observation"));
        onlyRejection(RejectionReason.CONFLICTING_DUPLICATE, "hr1-1");

        assertThat(achievements.isEmpty()).isTrue();
        // record_too_large is ingest's alone: a record on assessments fitted in Kafka.
        java.util.Set<RejectionReason> evaluatorReasons = java.util.EnumSet.complementOf(java.util.EnumSet.of(RejectionReason.RECORD_TOO_LARGE));
        for (RejectionReason reason : evaluatorReasons) {
            assertThat(meters.get(EvaluatorMetrics.REJECTIONS).tag("reason", reason.id()).counter().count())
                    .as("rejections counted for %s", reason).isEqualTo(1);
        }
        assertThat(meters.get(EvaluatorMetrics.EVENTS).tag("outcome", "rejected").counter().count())
                .isEqualTo(evaluatorReasons.size());
    }

    @Test
    void aFrameworkRemovedOrUnreadableCountsAsNotLoaded() {
        frameworks.pipeInput(CHEMICAL.id().toString(), (byte[]) null);
        send(pass("hr1-1", MAY, emerging(1)));
        onlyRejection(RejectionReason.UNKNOWN_FRAMEWORK, "hr1-1");

        frameworks.pipeInput(CHEMICAL.id().toString(), "not a framework".getBytes(StandardCharsets.UTF_8));
        send(pass("hr1-1", MAY, emerging(1)));
        onlyRejection(RejectionReason.UNKNOWN_FRAMEWORK, "hr1-1");

        frameworks.pipeInput(CHEMICAL.id().toString(),
                Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), CHEMICAL));
        send(pass("hr1-1", MAY, emerging(1)));
        assertThat(rejected.isEmpty()).as("accepted once the framework is back").isTrue();
    }

    @Test
    void aTaskWhoseEventIndexBeganWithSourcedKeysNeverLooksUpABareId() {
        send(pass("hr1-1", MAY, emerging(1)));
        assertThat(driver.<String, String>getKeyValueStore(EvaluatorTopology.LEDGER_MARKS_STORE)
                .get(EvaluatorProcessor.SOURCED_EVENT_KEYS)).isNotNull();

        // Only a version from before sourced keys wrote this; a marked index cannot hold it, so it is not read.
        events().put(LedgerKey.event(DANA.id(), "hr1-2"), new IndexedEvent("0000", AssessmentEventType.RECORDED, CHEMICAL.id(), "hr1"));
        send(pass("hr1-2", MAY, emerging(2)));

        assertThat(rejected.isEmpty()).isTrue();
        assertThat(progress().find("hr1", "hr1-2")).isPresent();
    }

    @Test
    void aTaskWhoseEventIndexHeldEntriesBeforeItsFirstRecordStillLooksUpBareIds() {
        events().put(LedgerKey.event(DANA.id(), "hr1-1"), new IndexedEvent("0000", AssessmentEventType.RECORDED, CHEMICAL.id(), "hr1"));

        send(pass("hr1-1", MAY, emerging(1)));

        onlyRejection(RejectionReason.CONFLICTING_DUPLICATE, "hr1-1");
        assertThat(driver.<String, String>getKeyValueStore(EvaluatorTopology.LEDGER_MARKS_STORE)
                .get(EvaluatorProcessor.SOURCED_EVENT_KEYS)).isNull();
    }

    private KeyValueStore<String, IndexedEvent> events() {
        return driver.getKeyValueStore(EvaluatorTopology.EVENTS_STORE);
    }

    private OperatorProgress progress() {
        return driver.<String, OperatorProgress>getKeyValueStore(EvaluatorTopology.PROGRESS_STORE)
                .get(LedgerKey.progress(DANA.id(), CHEMICAL.id()));
    }

    @Test
    void everyStoreIsPersistentAndTheTaskStoresAreChangelogged() {
        for (String store : List.of(EvaluatorTopology.PROGRESS_STORE, EvaluatorTopology.EVENTS_STORE,
                EvaluatorTopology.APPLIED_POLICIES_STORE, EvaluatorTopology.LEDGER_MARKS_STORE,
                EvaluatorTopology.FRAMEWORKS_STORE)) {
            assertThat(driver.getKeyValueStore(store).persistent()).as(store).isTrue();
        }
        send(pass("hr1-1", MAY, emerging(1)));
        assertThat(driver.producedTopicNames()).contains(
                "evaluator-topology-test-" + EvaluatorTopology.PROGRESS_STORE + "-changelog",
                "evaluator-topology-test-" + EvaluatorTopology.EVENTS_STORE + "-changelog");
    }
}
