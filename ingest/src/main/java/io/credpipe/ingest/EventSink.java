package io.credpipe.ingest;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link BatchIntake} writes what it accepted and rejected. Each future completes when the
 * record is durably written, or exceptionally when it was not.
 */
interface EventSink {

    /** Writes an accepted event. */
    CompletableFuture<?> publish(AssessmentEvent event);

    /** Writes a rejection. */
    CompletableFuture<?> publishRejection(Rejection rejection);
}
