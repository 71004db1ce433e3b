package io.credpipe.issuer.status;

import io.credpipe.issuer.signing.CredentialSigner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * An issued credential with what its holder's record shows of it: the credential decoded from its
 * JWT and its standing in its status list.
 *
 * @param issued the record of its issue
 * @param credential the credential: the JWT payload without the JWT registered claims
 * @param standing its entry in its status list; empty when the list is not known (yet)
 */
public record CredentialRecord(IssuedCredential issued, ObjectNode credential, Optional<CredentialStanding> standing) {

    public CredentialRecord {
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(standing, "standing");
    }

    /**
     * The records of {@code credentials}, in the same order, each list decoded once.
     *
     * @param statusLists where a credential's status entry points
     * @param lists the current status lists, by list id
     */
    public static List<CredentialRecord> of(List<IssuedCredential> credentials, StatusLists statusLists,
            Function<String, Optional<StatusListState>> lists) {
        Map<String, Optional<IntFunction<CredentialStanding>>> decoded = new HashMap<>();
        List<CredentialRecord> records = new ArrayList<>(credentials.size());
        for (IssuedCredential issued : credentials) {
            ObjectNode credential = decode(issued);
            Optional<CredentialStanding> standing = statusLists.position(credential).flatMap(position -> decoded
                    .computeIfAbsent(position.listId(), id -> lists.apply(id).map(StatusLists::reader))
                    .map(reader -> reader.apply(position.index())));
            records.add(new CredentialRecord(issued, credential, standing));
        }
        return records;
    }

    /**
     * Whether the credential counts at {@code now}: its status is known and neither revoked nor
     * suspended, and it has not expired. A suspended credential is left out of new records too: a
     * record signed now would otherwise vouch for it while it is under review.
     */
    public boolean currentAt(Instant now) {
        return standing.isPresent() && !standing.get().revoked() && !standing.get().suspended()
                && (issued.validUntil() == null || issued.validUntil().isAfter(now));
    }

    /** {@code revoked}, {@code suspended}, {@code valid} (the status list's messages) or {@code unknown}. */
    public String status() {
        return standing.map(s -> s.revoked() ? "revoked" : s.suspended() ? "suspended" : "valid").orElse("unknown");
    }

    private static ObjectNode decode(IssuedCredential issued) {
        try {
            return CredentialSigner.signedDocument(issued.jwt());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored credential " + issued.credentialId() + " is unreadable", e);
        }
    }
}
