package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.EvaluatorLedger;
import io.credpipe.evaluator.rule.IndexedEvent;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.model.framework.FrameworkId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ledger whose writes are held until {@link #commit}: the evaluation of one record reads its own
 * writes, but a record whose evaluation throws half-way leaves the stores as they were, so that it
 * can be set aside whole (dead letter) instead of half applied.
 */
final class PendingLedger implements EvaluatorLedger {

    private final EvaluatorLedger stores;
    private final Map<String, PendingEvent> events = new LinkedHashMap<>();
    private final Map<String, OperatorProgress> progress = new LinkedHashMap<>();

    PendingLedger(EvaluatorLedger stores) {
        this.stores = stores;
    }

    @Override
    public Optional<IndexedEvent> event(String operatorId, String eventId) {
        PendingEvent pending = events.get(LedgerKey.event(operatorId, eventId));
        return pending != null ? Optional.of(pending.event()) : stores.event(operatorId, eventId);
    }

    @Override
    public boolean mayHoldBareEventIds() {
        return stores.mayHoldBareEventIds();
    }

    @Override
    public Optional<OperatorProgress> progress(String operatorId, FrameworkId framework) {
        OperatorProgress pending = progress.get(LedgerKey.progress(operatorId, framework));
        return pending != null ? Optional.of(pending) : stores.progress(operatorId, framework);
    }

    @Override
    public List<OperatorProgress> progressOf(String operatorId) {
        List<OperatorProgress> all = new ArrayList<>();
        for (OperatorProgress stored : stores.progressOf(operatorId)) {
            OperatorProgress pending = progress.get(LedgerKey.progress(operatorId, stored.framework()));
            all.add(pending != null ? pending : stored);
        }
        for (OperatorProgress pending : progress.values()) {
            if (pending.operatorId().equals(operatorId)
                    && all.stream().noneMatch(p -> p.framework().equals(pending.framework()))) {
                all.add(pending);
            }
        }
        return all;
    }

    @Override
    public void putEvent(String operatorId, String eventId, IndexedEvent event) {
        events.put(LedgerKey.event(operatorId, eventId), new PendingEvent(operatorId, eventId, event));
    }

    @Override
    public void putProgress(OperatorProgress operatorProgress) {
        progress.put(LedgerKey.progress(operatorProgress.operatorId(), operatorProgress.framework()), operatorProgress);
    }

    /** Writes what was held to the stores, in the order it was written here. */
    void commit() {
        progress.values().forEach(stores::putProgress);
        events.values().forEach(e -> stores.putEvent(e.operatorId(), e.eventId(), e.event()));
    }

    private record PendingEvent(String operatorId, String eventId, IndexedEvent event) {}
}
