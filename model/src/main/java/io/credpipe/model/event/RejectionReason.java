package io.credpipe.model.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Machine-readable reasons an assessment event is rejected. */
public enum RejectionReason {
    /** The record is not JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** A field is missing, of the wrong type or out of range; the rejection names it. */
    INVALID_FIELD,
    /** The event names no operator, or the record key is not the operator id. */
    MISSING_OPERATOR,
    /** The statement's framework is not loaded. */
    UNKNOWN_FRAMEWORK,
    /** The framework is loaded but has no such statement. */
    UNKNOWN_STATEMENT,
    /** {@code occurredAt} is further in the future than clocks can drift. */
    OCCURRED_IN_FUTURE,
    /** A retraction names an event this operator never had. */
    UNKNOWN_RETRACTION_TARGET,
    /** A retraction names an event that is already retracted. */
    ALREADY_RETRACTED,
    /** An {@code eventId} was seen before with different content. */
    CONFLICTING_DUPLICATE,
    /**
     * The event is larger than a Kafka record may be; the rejection keeps its start, size and
     * SHA-256 rather than all of it.
     */
    RECORD_TOO_LARGE;

    /** The wire value, e.g. {@code unknown_statement}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
