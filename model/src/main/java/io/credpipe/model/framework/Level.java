package io.credpipe.model.framework;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The four proficiency levels of a competency framework, in ascending order.
 *
 * <p>The declaration order is the framework order ({@code emerging < developing < proficient <
 * advanced}); {@link #compareTo} and {@link #ordinal()} may be relied on.
 */
public enum Level {
    EMERGING("Emerging"),
    DEVELOPING("Developing"),
    PROFICIENT("Proficient"),
    ADVANCED("Advanced");

    private final String defaultLabel;
    /** Kept, not derived per call: ids are built and compared on every evaluated event. */
    private final String id;

    Level(String defaultLabel) {
        this.defaultLabel = defaultLabel;
        this.id = name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case identifier used in statement ids, URLs and JSON, e.g. {@code proficient}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The human label used when a framework file gives none, e.g. {@code Proficient}. */
    public String defaultLabel() {
        return defaultLabel;
    }

    /** The 1-based rank of this level (emerging = 1 … advanced = 4). */
    public int rank() {
        return ordinal() + 1;
    }

    /** The level directly below this one, if any. */
    public Optional<Level> below() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    /**
     * Parses a level identifier.
     *
     * @param id the lower-case identifier, e.g. {@code developing}
     * @return the level, or empty when {@code id} names none
     */
    public static Optional<Level> fromId(String id) {
        for (Level level : LEVELS) {
            if (level.id.equals(id)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    private static final Level[] LEVELS = values();

    @JsonCreator
    static Level fromJson(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException("unknown level: " + id));
    }
}
