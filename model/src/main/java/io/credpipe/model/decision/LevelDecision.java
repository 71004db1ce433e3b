package io.credpipe.model.decision;

import io.credpipe.model.framework.PolicyRef;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;

/**
 * A transition the evaluator decided for one operator, framework and level: the value of the
 * {@code achievements} topic, keyed by operator id. The JSON carries a {@code type} of
 * {@code level.achieved} or {@code level.lost}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LevelAchieved.class, name = "level.achieved"),
    @JsonSubTypes.Type(value = LevelLost.class, name = "level.lost")
})
public sealed interface LevelDecision permits LevelAchieved, LevelLost {

    /** The operator the decision is about. */
    Operator operator();

    /** The framework version the level belongs to. */
    FrameworkId framework();

    /** The level met or lost. */
    Level level();

    /**
     * The achievement's sequence number for this (operator, framework, level), from 1: a level
     * re-met after being lost is a new achievement with the next number.
     */
    int sequence();

    /** The policy the decision was made under. */
    PolicyRef policy();

    /** The assessment event whose processing made the decision; {@code null} when a policy change made it. */
    String causedBy();
}
