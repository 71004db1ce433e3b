package io.credpipe.ingest.intake;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.problem.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link AssessmentValidator} made of one request body: a {@link Valid} event, an
 * {@link Invalid} one with the fields at fault, or {@link Malformed} input that is not a JSON
 * object at all. The two failures know the {@link Rejection} that records them, so that nothing
 * sent is lost.
 */
public sealed interface AssessmentValidation {

    /** The {@code stage} of every rejection ingest records. */
    String STAGE = "ingest";

    /**
     * A valid event, ready to publish.
     *
     * @param event the event, as the pipeline carries it
     */
    record Valid(AssessmentEvent event) implements AssessmentValidation {

        /**
         * Creates the outcome.
         *
         * @param event the valid event
         * @throws NullPointerException if {@code event} is {@code null}
         */
        public Valid {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A JSON object that is not a valid assessment event.
     *
     * @param eventId         the event's id when it could be read (a non-empty string), else {@code null}
     * @param operatorPresent whether the event names an operator with an id
     * @param errors          every field at fault, each with a JSON Pointer (RFC 6901); never empty
     */
    record Invalid(String eventId, boolean operatorPresent, List<Problem.FieldError> errors) implements AssessmentValidation {

        /**
         * Creates the outcome.
         *
         * @param eventId         the event's id if readable, else {@code null}
         * @param operatorPresent whether the event names an operator with an id
         * @param errors          every field at fault
         * @throws IllegalArgumentException if {@code errors} is empty
         */
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid event has at least one field error");
            }
        }

        /**
         * The rejection that records this event on {@code assessments-rejected}: reason
         * {@code missing_operator} when it names no operator id, else {@code invalid_field}; the
         * pointer when exactly one field is at fault.
         *
         * @param rejectedAt when it was rejected
         * @param original   the request body exactly as received
         * @return the rejection
         */
        public Rejection rejection(Instant rejectedAt, byte[] original) {
            RejectionReason reason = operatorPresent ? RejectionReason.INVALID_FIELD : RejectionReason.MISSING_OPERATOR;
            String pointer = errors.size() == 1 ? errors.get(0).pointer() : null;
            String detail = errors.stream()
                    .map(e -> (e.pointer().isEmpty() ? "(document)" : e.pointer()) + " " + e.detail())
                    .collect(Collectors.joining("; "));
            return new Rejection(eventId, reason, detail, pointer, STAGE, rejectedAt, RejectedOriginal.text(original));
        }
    }

    /**
     * A body that is not JSON, or not a JSON object.
     *
     * @param detail what is wrong, with the position where the parser stopped
     */
    record Malformed(String detail) implements AssessmentValidation {

        /**
         * Creates the outcome.
         *
         * @param detail what is wrong
         * @throws NullPointerException if {@code detail} is {@code null}
         */
        public Malformed {
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * The rejection that records this body on {@code assessments-rejected} (reason
         * {@code malformed_json}, no event id: none can be read).
         *
         * @param rejectedAt when it was rejected
         * @param original   the request body exactly as received
         * @return the rejection
         */
        public Rejection rejection(Instant rejectedAt, byte[] original) {
            return new Rejection(null, RejectionReason.MALFORMED_JSON, detail, null, STAGE, rejectedAt,
                    RejectedOriginal.text(original));
        }
    }
}
