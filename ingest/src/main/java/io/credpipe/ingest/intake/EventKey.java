package io.credpipe.ingest.intake;

import io.credpipe.model.event.AssessmentEvent;
import java.util.Objects;

/**
 * What identifies an event for idempotency: its source and the id that source gave it. An event id
 * is the sending HR system's key (DESIGN.md "Events"), so two systems may use the same one.
 *
 * @param source  the HR system, e.g. {@code hr1}
 * @param eventId the system's id for the event
 */
public record EventKey(String source, String eventId) {

    /** Creates a key. */
    public EventKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The key of an event.
     *
     * @param event the event
     * @return its source and event id
     */
    public static EventKey of(AssessmentEvent event) {
        return new EventKey(event.source(), event.eventId());
    }

    /** An unambiguous text of both parts: the source's length first, as either may hold any character. */
    String text() {
        return source.length() + ":" + source + eventId;
    }
}
