package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.IndexedEvent;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.topics.serde.JsonSerde;
import io.credpipe.topics.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The evaluator's Kafka Streams topology:
 *
 * <pre>
 * frameworks ──▶ global store {@value #FRAMEWORKS_STORE} (raw records)
 * assessments (raw bytes) ──▶ evaluator ──▶ achievements          (LevelDecision, key operator id)
 *                               │      ├──▶ assessments-rejected  (Rejection, key event id)
 *                               │      └──▶ assessments-dead-letter (DeadLetter, key operator id)
 *                               └ stores {@value #PROGRESS_STORE}, {@value #EVENTS_STORE}, {@value #APPLIED_POLICIES_STORE},
 *                                        {@value #LEDGER_MARKS_STORE}
 * </pre>
 *
 * <p>Progress and the event index are keyed within one operator, and {@code assessments} is keyed by
 * operator id, so one task owns all of an operator's state; the applied policies and the ledger marks
 * are facts about the task's whole ledger. Progress is one value per (operator, framework): the rule
 * needs every statement of the framework at once, so one read and one write per event. It also holds
 * the name and e-mail the framework's events sent, so that an event writes two changelog records
 * (progress and event index), not three.
 */
public final class EvaluatorTopology {

    /** Progress per (operator, framework): {@link OperatorProgress} by {@link LedgerKey#progress}. */
    public static final String PROGRESS_STORE = "evaluator-progress";
    /** Accepted events per (operator, event id): {@link IndexedEvent} by {@link LedgerKey#event}. */
    public static final String EVENTS_STORE = "evaluator-events";
    /** The policy ref each task last brought all its operators of a framework to, by framework id. */
    public static final String APPLIED_POLICIES_STORE = "evaluator-applied-policies";
    /**
     * Facts about a task's ledger as a whole, by name ({@link EvaluatorProcessor#SOURCED_EVENT_KEYS}):
     * written once, read when the task starts processing.
     */
    public static final String LEDGER_MARKS_STORE = "evaluator-ledger-marks";
    /** How often, in wall-clock time, each task looks for policy changes to apply. */
    public static final Duration POLICY_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Global store of the {@code frameworks} topic, raw records by framework id. */
    public static final String FRAMEWORKS_STORE = "evaluator-frameworks";

    static final String FRAMEWORKS_SOURCE = "frameworks-source";
    static final String FRAMEWORKS_WRITER = "frameworks-writer";
    static final String ASSESSMENTS_SOURCE = "assessments-source";
    static final String EVALUATOR = "evaluator";
    static final String ACHIEVEMENTS_SINK = "achievements-sink";
    static final String REJECTIONS_SINK = "assessments-rejected-sink";
    static final String DEAD_LETTER_SINK = "assessments-dead-letter-sink";

    private EvaluatorTopology() {}

    /**
     * Builds the topology.
     *
     * @param clock the wall clock, for future timestamps and {@code rejectedAt}
     * @param maxClockSkew how far ahead of {@code clock} an {@code occurredAt} may be
     * @param policies the policy of each framework
     */
    public static Topology build(Clock clock, Duration maxClockSkew, LevelPolicies policies) {
        return build(clock, maxClockSkew, policies, new EvaluatorMetrics(new SimpleMeterRegistry()));
    }

    /**
     * Builds the topology, counting every record's outcome in {@code metrics}.
     *
     * @param clock the wall clock, for future timestamps and {@code rejectedAt}
     * @param maxClockSkew how far ahead of {@code clock} an {@code occurredAt} may be
     * @param policies the policy of each framework
     * @param metrics where verdicts are counted
     */
    public static Topology build(Clock clock, Duration maxClockSkew, LevelPolicies policies, EvaluatorMetrics metrics) {
        Topology topology = new Topology();
        FrameworkWrites frameworkWrites = new FrameworkWrites();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FRAMEWORKS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                FRAMEWORKS_SOURCE,
                Topics.FRAMEWORKS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(),
                Topics.FRAMEWORKS.name(),
                FRAMEWORKS_WRITER,
                () -> new FrameworkStoreWriter(frameworkWrites));

        // Raw bytes, so a malformed record reaches the rejected topic unchanged instead of failing deserialisation.
        topology.addSource(ASSESSMENTS_SOURCE, Topics.ASSESSMENTS.keySerde().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.ASSESSMENTS.name());
        topology.addProcessor(EVALUATOR, () -> new EvaluatorProcessor(policies, clock, maxClockSkew, metrics, frameworkWrites), ASSESSMENTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PROGRESS_STORE),
                Serdes.String(), LedgerSerdes.progress()).withCachingEnabled(), EVALUATOR);
        // No cache: each event id is written once and read back only for a replay, so a cache would only
        // hold entries until the commit writes them anyway.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENTS_STORE),
                Serdes.String(), LedgerSerdes.event()).withCachingDisabled(), EVALUATOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPLIED_POLICIES_STORE),
                Serdes.String(), new JsonSerde<>(PolicyRef.class)), EVALUATOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_MARKS_STORE),
                Serdes.String(), Serdes.String()).withCachingDisabled(), EVALUATOR);

        topology.addSink(ACHIEVEMENTS_SINK, Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer(), EVALUATOR);
        topology.addSink(REJECTIONS_SINK, Topics.ASSESSMENTS_REJECTED.name(),
                Topics.ASSESSMENTS_REJECTED.keySerde().serializer(), Topics.ASSESSMENTS_REJECTED.valueSerde().serializer(),
                EVALUATOR);
        topology.addSink(DEAD_LETTER_SINK, Topics.ASSESSMENTS_DEAD_LETTER.name(),
                Topics.ASSESSMENTS_DEAD_LETTER.keySerde().serializer(), Topics.ASSESSMENTS_DEAD_LETTER.valueSerde().serializer(),
                EVALUATOR);
        return topology;
    }
}
