package io.credpipe.evaluator.rule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Operator;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The name and e-mail address an operator's decisions carry: for each, the value sent by the latest
 * accepted event that sent one, "latest" ordered like assessments (by {@code occurredAt}, then event
 * id) so that a late, older event does not bring back an outdated name. An event that sends no name
 * (or no e-mail) leaves the known one in place.
 *
 * @param operatorId the operator
 * @param name the latest name sent, or {@code null}
 * @param nameSentBy the event that sent it
 * @param email the latest e-mail address sent, or {@code null}; personal data, never logged
 * @param emailSentBy the event that sent it
 */
public record OperatorContact(String operatorId, String name, Stamp nameSentBy, String email, Stamp emailSentBy) {

    public OperatorContact {
        Objects.requireNonNull(operatorId, "operatorId");
    }

    /** An operator with no name or e-mail known yet. */
    public static OperatorContact unknown(String operatorId) {
        return new OperatorContact(operatorId, null, null, null, null);
    }

    /** This contact updated with what {@code event} sent about the operator. */
    public OperatorContact merge(AssessmentEvent event) {
        Operator sent = event.operator();
        Stamp stamp = new Stamp(event.occurredAt(), event.eventId());
        String newName = name;
        Stamp newNameSentBy = nameSentBy;
        if (sent.name() != null && stamp.isLaterThan(nameSentBy)) {
            newName = sent.name();
            newNameSentBy = stamp;
        }
        String newEmail = email;
        Stamp newEmailSentBy = emailSentBy;
        if (sent.email() != null && stamp.isLaterThan(emailSentBy)) {
            newEmail = sent.email();
            newEmailSentBy = stamp;
        }
        return new OperatorContact(operatorId, newName, newNameSentBy, newEmail, newEmailSentBy);
    }

    /**
     * The latest of several contacts of one operator, field by field: what merging every event they
     * were built from would give, since each field keeps the value of its latest sender.
     */
    public static OperatorContact latest(String operatorId, List<OperatorContact> contacts) {
        OperatorContact latest = unknown(operatorId);
        for (OperatorContact contact : contacts) {
            String name = latest.name;
            Stamp nameSentBy = latest.nameSentBy;
            if (contact.nameSentBy != null && contact.nameSentBy.isLaterThan(nameSentBy)) {
                name = contact.name;
                nameSentBy = contact.nameSentBy;
            }
            String email = latest.email;
            Stamp emailSentBy = latest.emailSentBy;
            if (contact.emailSentBy != null && contact.emailSentBy.isLaterThan(emailSentBy)) {
                email = contact.email;
                emailSentBy = contact.emailSentBy;
            }
            latest = new OperatorContact(operatorId, name, nameSentBy, email, emailSentBy);
        }
        return latest;
    }

    /** The operator as decisions carry them. */
    @JsonIgnore
    public Operator asOperator() {
        return new Operator(operatorId, name, email);
    }

    /** Keeps the e-mail address out of logs and exception messages. */
    @Override
    public String toString() {
        return asOperator().toString();
    }

    /**
     * Which event sent a value.
     *
     * @param occurredAt the event's {@code occurredAt}
     * @param eventId the event's id
     */
    public record Stamp(Instant occurredAt, String eventId) {

        private static final Comparator<Stamp> ORDER =
                Comparator.comparing(Stamp::occurredAt).thenComparing(Stamp::eventId);

        public Stamp {
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(eventId, "eventId");
        }

        boolean isLaterThan(Stamp other) {
            return other == null || ORDER.compare(this, other) > 0;
        }
    }
}
