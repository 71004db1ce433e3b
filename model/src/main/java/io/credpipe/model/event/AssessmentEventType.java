package io.credpipe.model.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** What an {@link AssessmentEvent} records. */
public enum AssessmentEventType {
    /** An assessor assessed one statement for one operator. */
    RECORDED("assessment.recorded"),
    /** An earlier assessment is withdrawn (entered in error, assessor not qualified, …). */
    RETRACTED("assessment.retracted");

    private static final AssessmentEventType[] ALL = values();
    private final String id;

    AssessmentEventType(String id) {
        this.id = id;
    }

    /** The wire value, e.g. {@code assessment.recorded}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses a wire value. */
    public static Optional<AssessmentEventType> fromId(String id) {
        // A loop over a constant array: the evaluator reads one of these for every event.
        for (AssessmentEventType candidate : ALL) {
            if (candidate.id.equals(id)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
