package io.credpipe.model.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.credpipe.model.framework.StatementId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An HR system's record that an operator was assessed on a statement, or that such a record is
 * withdrawn. The value of the {@code assessments} topic, keyed by {@code operator.id}.
 *
 * <p>Which fields are present depends on {@link #type()}: a {@code assessment.recorded} event has
 * {@code statementId}, {@code result} and {@code assessor} (and optionally {@code method} and
 * {@code evidence}); a {@code assessment.retracted} event has {@code retracts} (and optionally
 * {@code reason}). {@code statementId} is kept as sent so that an event naming an unknown or
 * malformed statement can still be carried to the rejected topic unchanged; {@link #statement()}
 * parses it.
 *
 * @param eventId the HR system's idempotency key: the same id is the same event
 * @param type what the event records
 * @param occurredAt when the assessment happened (not when it was sent)
 * @param source the HR system that sent it, e.g. {@code hr1}
 * @param operator the person assessed
 * @param statementId the statement assessed, e.g. {@code 51-8091.00@v.26.05/emerging/1}
 * @param result pass or fail
 * @param assessor who assessed
 * @param method how, e.g. {@code observation}, optional
 * @param evidence supporting evidence, optional
 * @param retracts the {@code eventId} being withdrawn
 * @param reason why it is withdrawn, optional
 */
public record AssessmentEvent(
        String eventId,
        AssessmentEventType type,
        Instant occurredAt,
        String source,
        Operator operator,
        String statementId,
        AssessmentResult result,
        Assessor assessor,
        String method,
        // Absent, not [], when there is none: retractions may not carry the field at all.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Evidence> evidence,
        String retracts,
        String reason) {

    public AssessmentEvent {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** A {@code assessment.recorded} event. */
    public static AssessmentEvent recorded(
            String eventId, Instant occurredAt, String source, Operator operator,
            StatementId statement, AssessmentResult result, Assessor assessor, String method) {
        return new AssessmentEvent(eventId, AssessmentEventType.RECORDED, occurredAt, source, operator,
                statement.toString(), result, assessor, method, List.of(), null, null);
    }

    /** A {@code assessment.retracted} event withdrawing {@code retracts}. */
    public static AssessmentEvent retracted(
            String eventId, Instant occurredAt, String source, Operator operator, String retracts, String reason) {
        return new AssessmentEvent(eventId, AssessmentEventType.RETRACTED, occurredAt, source, operator,
                null, null, null, null, List.of(), Objects.requireNonNull(retracts, "retracts"), reason);
    }

    /** The assessed statement, when {@link #statementId()} is a well-formed statement id. */
    @JsonIgnore
    public Optional<StatementId> statement() {
        return StatementId.parse(statementId);
    }

    /** The operator id, which is also the event's Kafka key. */
    @JsonIgnore
    public String operatorId() {
        return operator == null ? null : operator.id();
    }
}
