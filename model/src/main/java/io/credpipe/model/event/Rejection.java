package io.credpipe.model.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event that was not accepted into the pipeline, with the record exactly as it arrived: the
 * value of the {@code assessments-rejected} topic, keyed by event id (or the original key when the
 * event id could not be read).
 *
 * @param eventId the rejected event's id, when it could be read
 * @param reason machine-readable reason
 * @param detail the reason in words
 * @param pointer JSON Pointer (RFC 6901) of the offending field, when one field is at fault
 * @param stage which service rejected it, e.g. {@code ingest} or {@code evaluator}
 * @param rejectedAt when
 * @param original the record's value as received (UTF-8 text)
 */
public record Rejection(
        String eventId, RejectionReason reason, String detail, String pointer, String stage, Instant rejectedAt, String original) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(rejectedAt, "rejectedAt");
    }
}
