package io.credpipe.evaluator;

import io.credpipe.model.framework.FrameworkId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An {@link EvaluatorLedger} in maps, for tests of the evaluator without Kafka. */
final class MapLedger implements EvaluatorLedger {

    final Map<String, IndexedEvent> events = new HashMap<>();
    final Map<String, OperatorProgress> progress = new HashMap<>();
    final Map<String, OperatorContact> contacts = new HashMap<>();

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
