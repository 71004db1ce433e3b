package io.credpipe.model.credential;

import java.time.Instant;
import java.util.Objects;

/**
 * The current bits of one W3C Bitstring Status List: the value of the compacted
 * {@code credential-status} topic, keyed by list id.
 *
 * @param listId the list's id (partition of {@code achievements} + sequence, see DESIGN.md)
 * @param purpose {@code revocation} or {@code suspension}
 * @param length the number of entries (at least 131,072)
 * @param encodedList the bitstring, GZIP-compressed, base64url without padding, prefixed {@code u}
 * @param updatedAt when the list last changed
 */
public record StatusListState(String listId, String purpose, int length, String encodedList, Instant updatedAt) {

    public StatusListState {
        Objects.requireNonNull(listId, "listId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(encodedList, "encodedList");
    }
}
