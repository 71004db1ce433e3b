package io.credpipe.evaluator.rule;

import io.credpipe.model.event.RejectionReason;
import java.util.Objects;

/**
 * Why an event is not accepted, before it is wrapped into a {@code Rejection} with the original record.
 *
 * @param eventId the event's id, when it could be read
 * @param reason machine-readable reason
 * @param detail the reason in words; never contains an e-mail address
 * @param pointer JSON Pointer (RFC 6901) of the offending field, when one field is at fault
 */
public record Refusal(String eventId, RejectionReason reason, String detail, String pointer)
        implements AssessmentReader.Result, ProgressRule.Outcome {

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
