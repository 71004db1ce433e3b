package io.credpipe.ingest.intake;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import java.util.concurrent.CompletableFuture;

/**
 * The port where {@link BatchIntake} writes what it accepted and rejected. Each future completes when the
 * record is durably written, or exceptionally when it was not.
 */
public interface EventSink {

    /** Writes an accepted event; completes with where it is in the log. */
    CompletableFuture<LogPosition> publish(AssessmentEvent event);

    /** Writes a rejection. */
    CompletableFuture<?> publishRejection(Rejection rejection);
}
