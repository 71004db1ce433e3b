package io.credpipe.evaluator.rule;

import io.credpipe.model.framework.FrameworkId;
import java.util.List;
import java.util.Optional;

/**
 * The evaluator's memory, all of it partitioned by operator: accepted events and progress per
 * framework (which holds the contact details the framework's events sent). The Kafka Streams
 * processor backs it with changelogged state stores; tests use maps.
 */
public interface EvaluatorLedger {

    /**
     * The accepted event of this operator under {@code eventId}, if any: the evaluator names events
     * by {@link IndexedEvent#key(String, String)} (source and event id).
     */
    Optional<IndexedEvent> event(String operatorId, String eventId);

    /**
     * Whether some event may be indexed under its bare id, as events were before they were keyed by
     * source. When not, an event is looked up under its sourced key alone: a ledger that began with
     * sourced keys never holds a bare one, and the second lookup of every new event would miss.
     */
    boolean mayHoldBareEventIds();

    /** The operator's progress in one framework, if any. */
    Optional<OperatorProgress> progress(String operatorId, FrameworkId framework);

    /** The operator's progress in every framework. */
    List<OperatorProgress> progressOf(String operatorId);

    /** Remembers an accepted event. */
    void putEvent(String operatorId, String eventId, IndexedEvent event);

    /** Stores an operator's progress in one framework. */
    void putProgress(OperatorProgress progress);
}
