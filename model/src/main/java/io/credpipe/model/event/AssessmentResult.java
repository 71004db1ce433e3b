package io.credpipe.model.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** The outcome an assessor recorded for one statement. */
public enum AssessmentResult {
    PASS("pass"),
    FAIL("fail");

    private static final AssessmentResult[] ALL = values();
    private final String id;

    AssessmentResult(String id) {
        this.id = id;
    }

    /** The wire value, {@code pass} or {@code fail}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses a wire value. */
    public static Optional<AssessmentResult> fromId(String id) {
        // A loop over a constant array: the evaluator reads one of these for every event.
        for (AssessmentResult candidate : ALL) {
            if (candidate.id.equals(id)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
