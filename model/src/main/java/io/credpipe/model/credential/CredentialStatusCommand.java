package io.credpipe.model.credential;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to change a credential's status, made over HTTP and carried on
 * {@link io.credpipe.topics.topic.Topics#CREDENTIAL_COMMANDS} keyed by the credential's operator id, so that the stream
 * task that owns the credential's status list applies it, exactly once.
 *
 * @param commandId a unique id of the request, for tracing it through logs
 * @param credentialId the credential
 * @param operatorId the credential's holder (the record key)
 * @param action what to do
 * @param reason why, as the administrator wrote it
 * @param requestedBy the authenticated caller's source
 * @param requestedAt when the request was accepted
 */
public record CredentialStatusCommand(
        String commandId,
        String credentialId,
        String operatorId,
        StatusAction action,
        String reason,
        String requestedBy,
        Instant requestedAt) {

    public CredentialStatusCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
