package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.AssessmentEvaluator;
import io.credpipe.evaluator.rule.EvaluatorLedger;
import io.credpipe.evaluator.rule.IndexedEvent;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.evaluator.rule.Verdict;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.DeadLetter;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.topics.topic.Topics;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream task's adapter around {@link AssessmentEvaluator}: the ledger is the task's state
 * stores, decisions go to the achievements sink keyed by operator id, rejections to the rejected sink.
 * Under {@code exactly_once_v2} the store writes, changelogs, outputs and the input offset commit
 * together, so a decision is published once even when the task is replayed.
 *
 * <p>Policy changes: the task remembers, per framework, the policy ref it last brought all of its
 * operators to ({@value EvaluatorTopology#APPLIED_POLICIES_STORE}, changelogged). Before its first
 * record and then every {@link EvaluatorTopology#POLICY_CHECK_INTERVAL} of wall-clock time it compares that with each loaded
 * framework's effective policy; for the frameworks that differ (a new version on the topic, another
 * policy file at restart, or a task that never checked) it scans its progress once, re-decides every
 * operator of those frameworks still at another policy, forwards the transitions and records the ref,
 * all in the task's normal transaction: a crash before the commit redoes the scan, one after it finds
 * nothing left to do. An operator whose next event comes first is re-decided by that event.
 *
 * <p>Failures: a record whose evaluation throws (a defect, or an input no rule foresaw) must not stop
 * the task, or every restart would die on it again. Its evaluation writes to a {@link PendingLedger},
 * so it leaves no half-applied state; it goes to {@code assessments-dead-letter} with the reason and
 * the next record is processed. The same holds for one operator's re-decision on a policy change.
 * A {@link StreamsException} is not the record's fault (the task's stores, or its ownership) and is
 * left to Kafka Streams.
 */
final class EvaluatorProcessor implements Processor<String, byte[], String, Object>, EvaluatorLedger {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorProcessor.class);
    /** The {@code stage} of a dead letter from a policy change's re-decision. */
    static final String POLICY_CHANGE_STAGE = AssessmentEvaluator.STAGE + "/policy-change";
    /** The mark of a task whose event index has held sourced keys only, from its first event on. */
    static final String SOURCED_EVENT_KEYS = "event-index/sourced-keys-only";

    private final LevelPolicies policies;
    private final Clock clock;
    private final Duration maxClockSkew;
    private final EvaluatorMetrics metrics;
    private final FrameworkWrites frameworkWrites;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, OperatorProgress> progress;
    private KeyValueStore<String, IndexedEvent> events;
    private KeyValueStore<String, PolicyRef> appliedPolicies;
    private KeyValueStore<String, String> ledgerMarks;
    /** Whether the event index may hold bare event ids; decided at the task's first record. */
    private Boolean bareEventIds;
    private StoredFrameworkCatalogue catalogue;
    private AssessmentEvaluator evaluator;
    /**
     * Whether this task has compared its applied policies with the effective ones since it started.
     * The first comparison is made before the task's first record rather than after the first
     * interval: on a new task it then records the policies while the stores are still empty,
     * instead of scanning every operator the interval's records brought in.
     */
    private boolean policiesChecked;
    /** Conflicts already logged, so that each is reported once per task, not every check. */
    private final Set<String> reportedConflicts = new HashSet<>();

    EvaluatorProcessor(LevelPolicies policies, Clock clock, Duration maxClockSkew, EvaluatorMetrics metrics,
            FrameworkWrites frameworkWrites) {
        this.policies = policies;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        this.metrics = metrics;
        this.frameworkWrites = frameworkWrites;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        progress = context.getStateStore(EvaluatorTopology.PROGRESS_STORE);
        events = context.getStateStore(EvaluatorTopology.EVENTS_STORE);
        appliedPolicies = context.getStateStore(EvaluatorTopology.APPLIED_POLICIES_STORE);
        ledgerMarks = context.getStateStore(EvaluatorTopology.LEDGER_MARKS_STORE);
        // A revived task (its stores restored after a failure) is initialised again: decide both again.
        bareEventIds = null;
        policiesChecked = false;
        KeyValueStore<String, byte[]> frameworks = context.getStateStore(EvaluatorTopology.FRAMEWORKS_STORE);
        catalogue = new StoredFrameworkCatalogue(frameworks, frameworkWrites, System::nanoTime);
        evaluator = new AssessmentEvaluator(catalogue, policies, clock, maxClockSkew);
        context.schedule(EvaluatorTopology.POLICY_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::applyPolicyChanges);
    }

    /** Brings every operator of this task to the effective policy of their framework. */
    void applyPolicyChanges(long timestamp) {
        policiesChecked = true;
        Map<String, PolicyRef> changed = new HashMap<>();
        for (String id : catalogue.ids()) {
            Optional<Framework> framework = FrameworkId.parse(id).flatMap(catalogue::find);
            if (framework.isEmpty()) {
                continue;
            }
            policies.conflict(framework.get()).ifPresent(conflict -> {
                if (reportedConflicts.add(conflict)) {
                    LOG.error("level policy conflict: {}", conflict);
                    metrics.policyConflict();
                }
            });
            PolicyRef effective = evaluator.policyFor(framework.get()).ref();
            if (!effective.equals(appliedPolicies.get(id))) {
                changed.put(id, effective);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        // Keys first, then updates: the store is not written while it is being iterated.
        List<String> affected = new ArrayList<>();
        try (KeyValueIterator<String, OperatorProgress> all = progress.all()) {
            all.forEachRemaining(entry -> {
                PolicyRef effective = changed.get(LedgerKey.suffix(entry.key));
                // An operator whose own event came first is at the policy already.
                if (effective != null && !effective.equals(entry.value.policy())) {
                    affected.add(entry.key);
                }
            });
        }
        int decided = 0;
        for (String key : affected) {
            OperatorProgress stored = progress.get(key);
            PendingLedger pending = new PendingLedger(this);
            Optional<Verdict.Accepted> reconciled;
            try {
                reconciled = evaluator.reconcile(stored, pending);
            } catch (StreamsException e) {
                throw e;
            } catch (RuntimeException e) {
                // The operator stays at their old policy; their next event tries again (and is set aside if it fails too).
                deadLetter(stored.operatorId(), null, timestamp, POLICY_CHANGE_STAGE, e);
                continue;
            }
            pending.commit();
            if (reconciled.isPresent()) {
                decided++;
                metrics.record(reconciled.get().decisions());
                for (LevelDecision decision : reconciled.get().decisions()) {
                    context.forward(new Record<String, Object>(reconciled.get().operatorId(), decision, timestamp),
                            EvaluatorTopology.ACHIEVEMENTS_SINK);
                }
            }
        }
        changed.forEach(appliedPolicies::put);
        if (decided > 0) {
            LOG.info("level policies {} re-decided {} of {} operator progress records of this task", changed, decided, affected.size());
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (bareEventIds == null) {
            bareEventIds = mayHoldBareEventIds(events, ledgerMarks);
        }
        if (!policiesChecked) {
            applyPolicyChanges(record.timestamp());
        }
        PendingLedger pending = new PendingLedger(this);
        Verdict verdict;
        try {
            verdict = evaluator.evaluate(record.key(), record.value(), pending);
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record.key(), record.value(), record.timestamp(), AssessmentEvaluator.STAGE, e);
            return;
        }
        pending.commit();
        metrics.record(verdict);
        if (verdict instanceof Verdict.Accepted accepted) {
            for (LevelDecision decision : accepted.decisions()) {
                context.forward(new Record<String, Object>(accepted.operatorId(), decision, record.timestamp()),
                        EvaluatorTopology.ACHIEVEMENTS_SINK);
            }
        } else if (verdict instanceof Verdict.Rejected rejected) {
            context.forward(new Record<String, Object>(rejected.key(), rejected.rejection(), record.timestamp()),
                    EvaluatorTopology.REJECTIONS_SINK);
        }
    }

    /**
     * Whether {@code events} may hold an event under its bare id. Only versions before events were
     * keyed by source wrote those, so an index that is empty when its task first processes a record
     * never will: that is marked in {@code marks}, in the task's transaction, and read on every later
     * start. An index that holds entries and no mark may have been written by such a version.
     */
    static boolean mayHoldBareEventIds(KeyValueStore<String, IndexedEvent> events, KeyValueStore<String, String> marks) {
        if (marks.get(SOURCED_EVENT_KEYS) != null) {
            return false;
        }
        try (KeyValueIterator<String, IndexedEvent> any = events.all()) {
            if (any.hasNext()) {
                return true;
            }
        }
        marks.put(SOURCED_EVENT_KEYS, "since the first event");
        return false;
    }

    @Override
    public boolean mayHoldBareEventIds() {
        return bareEventIds == null || bareEventIds;
    }

    /** Sets a record aside that could not be processed, with why, and counts it. */
    private void deadLetter(String key, byte[] value, long timestamp, String stage, RuntimeException failure) {
        Optional<RecordMetadata> source = context.recordMetadata();
        // The stack trace goes to the log, for whoever fixes the cause; the record's content does not.
        LOG.error("evaluator could not process a record{}; set aside to {}",
                source.map(m -> " (" + m.topic() + "-" + m.partition() + "@" + m.offset() + ")").orElse(""),
                Topics.ASSESSMENTS_DEAD_LETTER.name(), failure);
        String reason = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        DeadLetter letter = new DeadLetter(stage, reason, clock.instant(), source.map(RecordMetadata::topic).orElse(null),
                source.map(RecordMetadata::partition).orElse(null), source.map(RecordMetadata::offset).orElse(null),
                value == null ? null : new String(value, StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(key, letter, timestamp), EvaluatorTopology.DEAD_LETTER_SINK);
        metrics.deadLetter(stage);
    }

    @Override
    public Optional<IndexedEvent> event(String operatorId, String eventId) {
        return Optional.ofNullable(events.get(LedgerKey.event(operatorId, eventId)));
    }

    @Override
    public Optional<OperatorProgress> progress(String operatorId, FrameworkId framework) {
        return Optional.ofNullable(progress.get(LedgerKey.progress(operatorId, framework)));
    }

    @Override
    public List<OperatorProgress> progressOf(String operatorId) {
        List<OperatorProgress> all = new ArrayList<>();
        try (KeyValueIterator<String, OperatorProgress> entries =
                progress.prefixScan(LedgerKey.operatorPrefix(operatorId), new StringSerializer())) {
            entries.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }

    @Override
    public void putEvent(String operatorId, String eventId, IndexedEvent event) {
        events.put(LedgerKey.event(operatorId, eventId), event);
    }

    @Override
    public void putProgress(OperatorProgress operatorProgress) {
        progress.put(LedgerKey.progress(operatorProgress.operatorId(), operatorProgress.framework()), operatorProgress);
    }

}
