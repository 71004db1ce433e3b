package io.credpipe.model.credential;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an administrator, or a lost level, does to a credential's status. */
public enum StatusAction {
    /** Cancels the credential for good. */
    REVOKE,
    /** Holds the credential's validity until it is reinstated. */
    SUSPEND,
    /** Lifts a suspension; a revocation stays. */
    REINSTATE;

    /** The lower-case name used in URLs and JSON, e.g. {@code revoke}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action named {@code id} ({@code revoke}, {@code suspend}, {@code reinstate}). */
    @JsonCreator
    public static StatusAction parse(String id) {
        for (StatusAction action : values()) {
            if (action.id().equals(id)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown status action " + id);
    }
}
