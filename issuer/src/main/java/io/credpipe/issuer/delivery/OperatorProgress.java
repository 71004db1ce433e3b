package io.credpipe.issuer.delivery;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the operator's page learns their progress per framework: the evaluator's progress, wired by
 * the app (the issuer does not depend on the evaluator). An issuer running without an evaluator
 * beside it knows none, and the page draws its ladders from the credentials alone.
 */
@FunctionalInterface
public interface OperatorProgress {

    /** No progress known here. */
    OperatorProgress NONE = operatorId -> Optional.empty();

    /**
     * The operator's progress in every framework they were assessed in; empty when it cannot be
     * known here (no evaluator in this process, or its stores are not queryable now).
     */
    Optional<List<FrameworkLadder>> of(String operatorId);

    /**
     * Progress in one framework.
     *
     * @param framework the framework
     * @param rungs one per level, emerging first
     */
    record FrameworkLadder(FrameworkId framework, List<Rung> rungs) {

        public FrameworkLadder {
            Objects.requireNonNull(framework, "framework");
            rungs = List.copyOf(rungs);
        }
    }

    /**
     * Progress on one level.
     *
     * @param level the level
     * @param met whether it is met, as the latest decision says
     * @param demonstrated the statements demonstrated, with when each pass stops counting
     * @param missing the ids of the statements not demonstrated
     * @param validUntil while met, the earliest expiry it relies on; {@code null} when none or not met
     */
    record Rung(Level level, boolean met, List<DemonstratedStatement> demonstrated, List<String> missing,
            Instant validUntil) {

        public Rung {
            Objects.requireNonNull(level, "level");
            demonstrated = List.copyOf(demonstrated);
            missing = List.copyOf(missing);
        }
    }
}
