package io.credpipe.issuer.status;

import io.credpipe.model.credential.StatusListState;

/**
 * Where one partition's status lists and their index allocations are kept: the port that
 * {@link PartitionStatusLists} works over. The stream task implements it with its state stores, so
 * every write lands in the same exactly-once transaction as the credential it belongs to.
 */
public interface StatusListStore {

    /** The list with id {@code listId}, or {@code null} when there is none. */
    StatusListState list(String listId);

    /** Keeps {@code list} under its id. */
    void putList(StatusListState list);

    /** The encoded {@link StatusIndexAllocation} of list {@code listId}, or {@code null} when none was taken. */
    byte[] allocation(String listId);

    /** Keeps the encoded allocation of list {@code listId}. */
    void putAllocation(String listId, byte[] allocation);
}
