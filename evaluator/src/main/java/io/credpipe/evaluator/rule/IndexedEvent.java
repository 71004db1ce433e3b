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
 */
public record IndexedEvent(String contentHash, AssessmentEventType type, FrameworkId framework) {

    public IndexedEvent {
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(framework, "framework");
    }
}
