package io.credpipe.ingest.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.credpipe.model.problem.Problem;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What ingest did with each line of a request: the body of a batch or import answer.
 *
 * @param accepted  how many lines entered the pipeline
 * @param duplicate how many were an exact re-send of an event already in the pipeline (or earlier in the batch)
 * @param rejected  how many were refused; each is on {@code assessments-rejected} unless its reason
 *                  is {@code forbidden_source}
 * @param lines     one outcome per non-blank line, in order
 */
public record IntakeReport(int accepted, int duplicate, int rejected, List<Line> lines) {

    /** Creates a report. */
    public IntakeReport {
        lines = List.copyOf(lines);
    }

    /**
     * A report counting {@code lines}.
     *
     * @param lines one outcome per line, in order
     * @return the report
     */
    public static IntakeReport of(List<Line> lines) {
        int accepted = 0;
        int duplicate = 0;
        int rejected = 0;
        for (Line line : lines) {
            switch (line.status()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicate++;
                case REJECTED -> rejected++;
            }
        }
        return new IntakeReport(accepted, duplicate, rejected, lines);
    }

    /** What happened to one line. */
    public enum Status {
        /** Acknowledged by Kafka on {@code assessments}. */
        ACCEPTED,
        /** Its event id is already in the pipeline; nothing was written. */
        DUPLICATE,
        /** Refused, with a reason. */
        REJECTED;

        /** The wire value, e.g. {@code accepted}. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One line's outcome.
     *
     * @param line    the 1-based line number in the body (for CSV: the file's line, header is line 1)
     * @param eventId the event id when it could be read
     * @param status  what happened
     * @param reason  for rejections: a {@code RejectionReason} id or {@code forbidden_source}
     * @param detail  for rejections: why, in words
     * @param errors  for rejections of fields: each field at fault with its JSON Pointer
     * @param partition for an accepted line: its partition on {@code assessments}
     * @param offset  for an accepted line: its offset there
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Line(int line, String eventId, Status status, String reason, String detail, List<Problem.FieldError> errors,
            Integer partition, Long offset) {

        /** Creates an outcome. */
        public Line {
            Objects.requireNonNull(status, "status");
            errors = errors == null ? List.of() : List.copyOf(errors);
        }

        /** An outcome with no place in the log (not accepted, or not yet acknowledged). */
        public Line(int line, String eventId, Status status, String reason, String detail, List<Problem.FieldError> errors) {
            this(line, eventId, status, reason, detail, errors, null, null);
        }

        /**
         * This outcome at a place in the log.
         *
         * @param position where the broker put the event
         * @return the outcome with its partition and offset
         */
        public Line at(LogPosition position) {
            return new Line(line, eventId, status, reason, detail, errors, position.partition(), position.offset());
        }
    }
}
