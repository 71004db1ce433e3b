package io.credpipe.model.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * One private link to an operator's page: the value of the compacted {@code operator-links} topic,
 * keyed by {@link #tokenHash()}. It holds the SHA-256 of the link's token, never the token itself,
 * so neither the topic nor a backup of it opens anyone's page. A revoked link is a tombstone.
 *
 * @param tokenHash the lower-case hexadecimal SHA-256 of the token's ASCII characters; also the
 *     link's id in the API
 * @param operatorId the operator whose page the link opens
 * @param createdAt when it was created
 * @param expiresAt when it stops opening the page
 * @param createdBy who created it: an HR source, an administrator, the command line or the notifier
 */
public record OperatorLink(String tokenHash, String operatorId, Instant createdAt, Instant expiresAt,
        String createdBy) {

    public OperatorLink {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a link expires after it is created");
        }
    }

    /** Whether the link opens the page at {@code now}: created and not yet expired. */
    public boolean opensAt(Instant now) {
        return !now.isBefore(createdAt) && now.isBefore(expiresAt);
    }
}
