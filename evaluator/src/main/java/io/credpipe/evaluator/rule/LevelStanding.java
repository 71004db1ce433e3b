package io.credpipe.evaluator.rule;

import io.credpipe.model.framework.Level;
import java.util.Objects;

/**
 * Whether an operator currently meets one level of one framework, and how many times they have
 * achieved it.
 *
 * @param level the level
 * @param met whether it is met now
 * @param sequence the number of the latest achievement of the level; 0 when never achieved
 */
public record LevelStanding(Level level, boolean met, int sequence) {

    public LevelStanding {
        Objects.requireNonNull(level, "level");
        if (sequence < 0 || (met && sequence == 0)) {
            throw new IllegalArgumentException("a met level has an achievement sequence from 1: " + sequence);
        }
    }

    /** A level never achieved. */
    public static LevelStanding never(Level level) {
        return new LevelStanding(level, false, 0);
    }

    /** The level met again: a new achievement with the next sequence number. */
    public LevelStanding achieved() {
        return new LevelStanding(level, true, sequence + 1);
    }

    /** The level no longer met; the sequence still names the achievement that is lost. */
    public LevelStanding lost() {
        return new LevelStanding(level, false, sequence);
    }
}
