package io.credpipe.issuer.stream;

import java.util.Objects;

/**
 * What the issuing task keeps of each credential it signed: enough to refuse a replay, to check
 * that a status command names the operator's own credential, and to find the credential's status
 * entry. The signed credential itself goes to the {@code credentials} topic once; keeping ~20 KB of
 * JWT in the task's store as well would write every credential to Kafka twice.
 *
 * @param operatorId the credential's holder
 * @param listId the status list of its {@code credentialStatus}
 * @param index its index in that list
 */
public record IssuedEntry(String operatorId, String listId, int index) {

    public IssuedEntry {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(listId, "listId");
        if (index < 0) {
            throw new IllegalArgumentException("a status list index is not negative: " + index);
        }
    }
}
