package io.credpipe.evaluator.rule;

import io.credpipe.evaluator.stream.LedgerKey;
import io.credpipe.model.framework.FrameworkId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link EvaluatorLedger} in maps, for tests of the evaluator without Kafka. */
final class MapLedger implements EvaluatorLedger {

    final Map<String, IndexedEvent> events = new HashMap<>();
    final Map<String, OperatorProgress> progress = new HashMap<>();
    /** Every key looked up in {@link #events}, in order. */
    final List<String> eventLookups = new ArrayList<>();
    boolean bareEventIds = true;

    @Override
    public boolean mayHoldBareEventIds() {
        return bareEventIds;
    }

    @Override
    public Optional<IndexedEvent> event(String operatorId, String eventId) {
        String key = LedgerKey.event(operatorId, eventId);
        eventLookups.add(key);
        return Optional.ofNullable(events.get(key));
    }

    @Override
    public Optional<OperatorProgress> progress(String operatorId, FrameworkId framework) {
        return Optional.ofNullable(progress.get(LedgerKey.progress(operatorId, framework)));
    }

    @Override
    public List<OperatorProgress> progressOf(String operatorId) {
        return progress.entrySet().stream().filter(e -> e.getKey().startsWith(LedgerKey.operatorPrefix(operatorId)))
                .map(Map.Entry::getValue).toList();
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
