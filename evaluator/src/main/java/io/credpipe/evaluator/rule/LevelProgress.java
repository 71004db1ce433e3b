package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How far an operator is on one level at one instant, as the decision rule sees it.
 *
 * @param level the level
 * @param total how many statements the level has
 * @param demonstrated the statements demonstrated, in framework order, with the passes that demonstrate them
 * @param missing the ids of the statements not demonstrated (never assessed, failed, retracted or
 *     expired), in framework order
 * @param reached whether the demonstrated share reaches the policy threshold, lower levels aside
 * @param met whether the level is met: reached and, under a cumulative policy, every lower level met
 * @param validUntil the earliest expiry among the passes the level relies on (under a cumulative
 *     policy, those of the lower levels too, since losing one loses this level); {@code null} when none expire
 */
public record LevelProgress(
        Level level,
        int total,
        List<DemonstratedStatement> demonstrated,
        List<String> missing,
        boolean reached,
        boolean met,
        Instant validUntil) {

    public LevelProgress {
        Objects.requireNonNull(level, "level");
        demonstrated = List.copyOf(demonstrated);
        missing = List.copyOf(missing);
    }

    /** Whether {@code statementId} counts as demonstrated. */
    public boolean demonstrates(String statementId) {
        return demonstrated.stream().anyMatch(s -> s.statementId().equals(statementId));
    }
}
