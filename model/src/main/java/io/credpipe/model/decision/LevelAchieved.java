package io.credpipe.model.decision;

import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An operator has met a framework level: the issuer turns this into a credential.
 *
 * @param operator the operator, with the name and e-mail last sent for them
 * @param framework the framework version
 * @param level the level met
 * @param sequence the achievement's number for this (operator, framework, level), from 1
 * @param statements the level's statements counted as demonstrated, in framework order
 * @param achievedAt when the level was met: the {@code occurredAt} of the deciding assessment; after a
 *     policy change, the latest {@code occurredAt} of the operator's assessments in the framework
 * @param validUntil the earliest expiry among the passes relied on; {@code null} when none expire
 * @param policy the policy the decision was made under
 * @param causedBy the assessment event whose processing met the level; {@code null} when a change of the
 *     framework's policy did
 */
public record LevelAchieved(
        Operator operator,
        FrameworkId framework,
        Level level,
        int sequence,
        List<DemonstratedStatement> statements,
        Instant achievedAt,
        Instant validUntil,
        PolicyRef policy,
        String causedBy) implements LevelDecision {

    public LevelAchieved {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(achievedAt, "achievedAt");
        Objects.requireNonNull(policy, "policy");
        statements = List.copyOf(statements);
        if (sequence < 1) {
            throw new IllegalArgumentException("achievement sequences start at 1: " + sequence);
        }
    }
}
