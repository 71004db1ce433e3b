package io.credpipe.model.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened between credpipe and an operator about a credential: the value of the
 * {@code deliveries} topic, keyed by operator id, for HR systems and notifiers to act on. It carries
 * identifiers, never an e-mail address or a token.
 *
 * @param kind what happened
 * @param operatorId the operator it concerns (also the record key)
 * @param credentialId the credential's UUID
 * @param frameworkId the framework of the credential's achievement
 * @param level the level, e.g. {@code proficient}
 * @param occurredAt when it happened
 * @param detail a reason or note in words (a revocation's reason, a wallet's notification), or null
 * @param holder the holder's DID or key thumbprint for wallet events, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryEvent(
        DeliveryKind kind,
        String operatorId,
        String credentialId,
        String frameworkId,
        String level,
        Instant occurredAt,
        String detail,
        String holder) {

    public DeliveryEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
