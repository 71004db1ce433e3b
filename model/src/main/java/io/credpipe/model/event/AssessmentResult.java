package io.credpipe.model.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The outcome an assessor recorded for one statement. */
public enum AssessmentResult {
    PASS("pass"),
    FAIL("fail");

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
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
