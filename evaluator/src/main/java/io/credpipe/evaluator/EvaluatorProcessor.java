package io.credpipe.evaluator;

import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.FrameworkId;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stream task's adapter around {@link AssessmentEvaluator}: the ledger is the task's state
 * stores, decisions go to the achievements sink keyed by operator id, rejections to the rejected sink.
 * Under {@code exactly_once_v2} the store writes, changelogs, outputs and the input offset commit
 * together, so a decision is published once even when the task is replayed.
 */
final class EvaluatorProcessor implements Processor<String, byte[], String, Object>, EvaluatorLedger {

    private final LevelPolicies policies;
    private final Clock clock;
    private final Duration maxClockSkew;
    private final EvaluatorMetrics metrics;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, OperatorProgress> progress;
    private KeyValueStore<String, IndexedEvent> events;
    private KeyValueStore<String, OperatorContact> contacts;
    private AssessmentEvaluator evaluator;

    EvaluatorProcessor(LevelPolicies policies, Clock clock, Duration maxClockSkew, EvaluatorMetrics metrics) {
        this.policies = policies;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        progress = context.getStateStore(EvaluatorTopology.PROGRESS_STORE);
        events = context.getStateStore(EvaluatorTopology.EVENTS_STORE);
        contacts = context.getStateStore(EvaluatorTopology.CONTACTS_STORE);
        KeyValueStore<String, byte[]> frameworks = context.getStateStore(EvaluatorTopology.FRAMEWORKS_STORE);
        evaluator = new AssessmentEvaluator(new StoredFrameworkCatalogue(frameworks), policies, clock, maxClockSkew);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Verdict verdict = evaluator.evaluate(record.key(), record.value(), this);
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

    @Override
    public Optional<IndexedEvent> event(String operatorId, String eventId) {
        return Optional.ofNullable(events.get(LedgerKey.event(operatorId, eventId)));
    }

    @Override
    public Optional<OperatorProgress> progress(String operatorId, FrameworkId framework) {
        return Optional.ofNullable(progress.get(LedgerKey.progress(operatorId, framework)));
    }

    @Override
    public Optional<OperatorContact> contact(String operatorId) {
        return Optional.ofNullable(contacts.get(operatorId));
    }

    @Override
    public void putEvent(String operatorId, String eventId, IndexedEvent event) {
        events.put(LedgerKey.event(operatorId, eventId), event);
    }

    @Override
    public void putProgress(OperatorProgress operatorProgress) {
        progress.put(LedgerKey.progress(operatorProgress.operatorId(), operatorProgress.framework()), operatorProgress);
    }

    @Override
    public void putContact(OperatorContact contact) {
        contacts.put(contact.operatorId(), contact);
    }
}
