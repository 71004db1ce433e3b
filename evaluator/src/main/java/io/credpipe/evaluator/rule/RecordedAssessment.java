package io.credpipe.evaluator.rule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Objects;

/**
 * One assessment of one statement as the evaluator keeps it: enough to rank it against the other
 * assessments of the statement and to cite it in a decision. A retracted assessment is kept, marked,
 * so that a second retraction of it is recognised as such.
 *
 * @param eventId the assessment event's id
 * @param occurredAt when the assessment happened
 * @param result pass or fail
 * @param assessor who assessed
 * @param method how, when known
 * @param retractedBy the id of the retraction event that withdrew it (of the same source); {@code null} while it stands
 * @param source the HR source that sent it: an event id is that source's key, so two sources' {@code e1}
 *     are two assessments (DESIGN.md "Events"); {@code null} for one recorded before sources were kept
 */
public record RecordedAssessment(
        String eventId, Instant occurredAt, AssessmentResult result, Assessor assessor, String method, String retractedBy,
        String source) {

    /**
     * Which of two assessments of one statement is the later: by {@code occurredAt}, ties broken by
     * the lexicographically larger {@code eventId}, so every arrival order ranks them the same way.
     */
    public static final Comparator<RecordedAssessment> CHRONOLOGICAL =
            Comparator.comparing(RecordedAssessment::occurredAt).thenComparing(RecordedAssessment::eventId)
                    .thenComparing(RecordedAssessment::source, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** An assessment whose source is unknown, as recorded before sources were kept. */
    public RecordedAssessment(
            String eventId, Instant occurredAt, AssessmentResult result, Assessor assessor, String method, String retractedBy) {
        this(eventId, occurredAt, result, assessor, method, retractedBy, null);
    }

    public RecordedAssessment {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(result, "result");
    }

    /** The assessment a {@code assessment.recorded} event records. */
    public static RecordedAssessment of(AssessmentEvent recorded) {
        return new RecordedAssessment(recorded.eventId(), recorded.occurredAt(), recorded.result(),
                recorded.assessor(), recorded.method(), null, recorded.source());
    }

    /**
     * Whether this is the assessment {@code eventId} of {@code eventSource}: one recorded before
     * sources were kept is taken to be of any source, as it was then.
     */
    public boolean is(String eventSource, String id) {
        return eventId.equals(id) && (source == null || eventSource == null || source.equals(eventSource));
    }

    /** Whether a retraction withdrew it. */
    @JsonIgnore
    public boolean isRetracted() {
        return retractedBy != null;
    }

    /** Whether it is a pass. */
    @JsonIgnore
    public boolean isPass() {
        return result == AssessmentResult.PASS;
    }

    /** This assessment withdrawn by {@code retraction}. */
    public RecordedAssessment retractedBy(String retraction) {
        return new RecordedAssessment(eventId, occurredAt, result, assessor, method, Objects.requireNonNull(retraction), source);
    }

    /**
     * When a pass stops counting under an evidence validity; {@code null} for never. Calendar periods
     * (months, years) are added in UTC, since an {@link Instant} has no months.
     */
    public Instant expiresAt(Period validity) {
        return validity == null ? null : occurredAt.atOffset(ZoneOffset.UTC).plus(validity).toInstant();
    }
}
