package io.credpipe.model.event;

/**
 * Whether the pipeline has heard of an operator: an operator exists once an event about them was
 * accepted into {@code assessments} (issue 16.6). The operator routes answer {@code 404} for an
 * operator not on record, so that "no such operator" never reads like "nothing processed yet".
 */
@FunctionalInterface
public interface OperatorRegistry {

    /** What a lookup found. */
    enum Standing {
        /** At least one event about the operator was accepted. */
        ON_RECORD,
        /** None was, as far as the registry could read. */
        UNKNOWN,
        /** The registry could not read far enough to tell. */
        NOT_READY
    }

    /**
     * Looks an operator up; may wait briefly to read what was accepted just before.
     *
     * @param operatorId the operator id
     * @return the operator's standing
     */
    Standing lookup(String operatorId);
}
