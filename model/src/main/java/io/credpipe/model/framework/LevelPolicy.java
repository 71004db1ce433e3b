package io.credpipe.model.framework;

import java.time.Period;
import java.util.Objects;

/**
 * How a framework's levels are decided. Policies are versioned; every decision records the
 * {@link PolicyRef} it was made under.
 *
 * @param id the policy's name, e.g. {@code default}
 * @param version increases with every change of the policy
 * @param thresholdPercent share of a level's statements that must be demonstrated, 1–100
 * @param cumulative whether a level also requires every lower level to be met
 * @param evidenceValidity how long a pass counts after it occurred; {@code null} for forever
 */
public record LevelPolicy(String id, int version, int thresholdPercent, boolean cumulative, Period evidenceValidity) {

    /** All statements, cumulative, passes never expire. */
    public static final LevelPolicy DEFAULT = new LevelPolicy("default", 1, 100, true, null);

    public LevelPolicy {
        Objects.requireNonNull(id, "id");
        if (version < 1) {
            throw new IllegalArgumentException("policy versions start at 1: " + version);
        }
        if (thresholdPercent < 1 || thresholdPercent > 100) {
            throw new IllegalArgumentException("threshold must be 1–100 percent: " + thresholdPercent);
        }
        if (evidenceValidity != null && (evidenceValidity.isNegative() || evidenceValidity.isZero())) {
            throw new IllegalArgumentException("evidence validity must be positive: " + evidenceValidity);
        }
    }

    /** The reference recorded in decisions. */
    public PolicyRef ref() {
        return new PolicyRef(id, version);
    }

    /** Whether {@code demonstrated} of {@code total} statements reach the threshold (exact integer arithmetic). */
    public boolean reached(int demonstrated, int total) {
        return demonstrated * 100L >= (long) thresholdPercent * total;
    }
}
