package io.credpipe.model.framework;

import java.util.Objects;

/**
 * One competency statement of a framework level.
 *
 * <p>Framework files write a statement as {@code "Topic — description"}; the topic before the
 * em dash is the statement's short name.
 *
 * @param id the statement's stable id
 * @param text the full text as written in the framework
 */
public record Statement(StatementId id, String text) {

    /** The separator framework authors put between a statement's topic and its description. */
    static final String TOPIC_SEPARATOR = " — ";

    public Statement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }

    /** The topic before {@code " — "}, or the whole text when it has no topic. */
    public String shortName() {
        int dash = text.indexOf(TOPIC_SEPARATOR);
        return dash < 0 ? text : text.substring(0, dash).strip();
    }

    /** The text after {@code " — "}, or the whole text when it has no topic. */
    public String description() {
        int dash = text.indexOf(TOPIC_SEPARATOR);
        return dash < 0 ? text : text.substring(dash + TOPIC_SEPARATOR.length()).strip();
    }

    /** The level the statement belongs to. */
    public Level level() {
        return id.level();
    }
}
