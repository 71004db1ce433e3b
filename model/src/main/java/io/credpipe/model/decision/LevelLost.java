package io.credpipe.model.decision;

import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator no longer meets a level they had met: the issuer revokes the credential of
 * achievement {@code sequence}.
 *
 * @param operator the operator
 * @param framework the framework version
 * @param level the level lost
 * @param sequence the number of the achievement that is lost
 * @param reason why
 * @param detail the reason in words, e.g. which statement failed
 * @param lostAt the {@code occurredAt} of the deciding assessment; after a policy change, the latest
 *     {@code occurredAt} of the operator's assessments in the framework
 * @param policy the policy the decision was made under
 * @param causedBy the assessment event whose processing lost the level; {@code null} when a change of the
 *     framework's policy did
 */
public record LevelLost(
        Operator operator,
        FrameworkId framework,
        Level level,
        int sequence,
        LossReason reason,
        String detail,
        Instant lostAt,
        PolicyRef policy,
        String causedBy) implements LevelDecision {

    public LevelLost {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policy, "policy");
    }
}
