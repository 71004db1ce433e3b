package io.credpipe.model.framework;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies one statement of a framework level: {@code {frameworkId}/{level}/{n}}, with {@code n}
 * the 1-based position of the statement within its level, e.g. {@code 51-8091.00@v.26.05/proficient/3}.
 *
 * @param framework the framework the statement belongs to
 * @param level the level the statement belongs to
 * @param position the 1-based position within the level
 */
public record StatementId(FrameworkId framework, Level level, int position) {

    public StatementId {
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(level, "level");
        if (position < 1) {
            throw new IllegalArgumentException("statement positions are 1-based: " + position);
        }
    }

    /**
     * Parses {@code {frameworkId}/{level}/{n}}.
     *
     * @return the id, or empty when {@code text} is not a well-formed statement id (whether the
     *     statement exists is a question for the {@link Framework})
     */
    public static Optional<StatementId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // {frameworkId}/{level}/{n}, n = [1-9][0-9]{0,3}; by hand, as this runs several times per evaluated event.
        int first = text.indexOf('/');
        int second = first < 0 ? -1 : text.indexOf('/', first + 1);
        if (second < 0 || text.indexOf('/', second + 1) >= 0) {
            return Optional.empty();
        }
        int digits = text.length() - second - 1;
        if (digits < 1 || digits > 4 || text.charAt(second + 1) == '0') {
            return Optional.empty();
        }
        int position = 0;
        for (int i = second + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            position = position * 10 + (c - '0');
        }
        Optional<FrameworkId> framework = FrameworkId.parse(text.substring(0, first));
        Optional<Level> level = Level.fromId(text.substring(first + 1, second));
        if (framework.isEmpty() || level.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StatementId(framework.get(), level.get(), position));
    }

    @JsonCreator
    static StatementId fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a statement id: " + text));
    }

    @JsonValue
    @Override
    public String toString() {
        return framework + "/" + level.id() + "/" + position;
    }
}
