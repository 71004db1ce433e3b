package io.credpipe.model.framework;

import java.util.List;
import java.util.Objects;

/**
 * One level of a framework with its statements in framework order.
 *
 * @param level which level this is
 * @param label the framework's label for it, e.g. {@code Proficient}
 * @param statements the statements, position 1 first; never empty
 */
public record FrameworkLevel(Level level, String label, List<Statement> statements) {

    public FrameworkLevel {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(label, "label");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("level " + level.id() + " has no statements");
        }
    }
}
