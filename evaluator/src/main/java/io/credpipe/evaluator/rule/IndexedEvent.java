package io.credpipe.evaluator.rule;

import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.framework.FrameworkId;
import java.util.Objects;

/**
 * What the evaluator remembers of every event it accepted, by (operator, event id): enough to tell a
 * replay from a conflicting reuse of the id, and to find which framework a retraction applies to.
 *
 * @param contentHash the canonical content hash of the event ({@link AssessmentReader#contentHash})
 * @param type recorded or retracted
 * @param framework the framework of the assessed statement; for a retraction, that of the assessment it withdrew
 * @param source the HR source that sent it, which alone may retract it (DESIGN.md "Events"); {@code null}
 *     for an event indexed before sources were recorded
 */
public record IndexedEvent(String contentHash, AssessmentEventType type, FrameworkId framework, String source) {

    /** An event indexed without its source, as before sources were recorded. */
    public IndexedEvent(String contentHash, AssessmentEventType type, FrameworkId framework) {
        this(contentHash, type, framework, null);
    }

    /**
     * Whether {@code retractingSource} may retract this event: only its own source may. An event
     * indexed before sources were recorded keeps the old rule, any source of the operator.
     */
    public boolean retractableBy(String retractingSource) {
        return source == null || source.equals(retractingSource);
    }

    /**
     * The ledger's name for event {@code eventId} of {@code source}: an event id is its source's key,
     * so {@code e1} of two sources is two events. The source is length-prefixed, since either part
     * may hold any character. Events indexed before this key was used are under the bare event id.
     */
    public static String key(String source, String eventId) {
        return source.length() + ":" + source + "|" + eventId;
    }

    public IndexedEvent {
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(framework, "framework");
    }
}
