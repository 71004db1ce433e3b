package io.credpipe.model.decision;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a level that was met is no longer met. */
public enum LossReason {
    /** An assessment the level relied on was retracted. */
    RETRACTED,
    /** A newer assessment of a statement the level relied on is a fail. */
    FAILED,
    /** A pass the level relied on is older than the policy's evidence validity. */
    EXPIRED,
    /** The policy is cumulative and a lower level was lost. */
    LOWER_LEVEL_LOST,
    /** The level's policy changed and the evidence no longer meets it. */
    POLICY_CHANGED;

    /** The wire value, e.g. {@code lower_level_lost}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
