package io.credpipe.issuer.status;

import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.StatusBitstring;
import io.credpipe.model.credential.StatusListState;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status lists of one partition of {@code achievements}: allocates a random free index for a
 * new credential and applies status actions to issued ones, over a {@link StatusListStore}.
 *
 * <p>Only the task that owns the partition uses its lists (DESIGN.md "Credential (issuer)"), so no
 * index is handed out twice. Lists only fill up (an index is never given back), so the lists found
 * full and the one found published are remembered rather than read from the store again for every
 * credential. An instance belongs to one task's lifetime: a revived task (whose stores were
 * restored, possibly past an aborted transaction) must start with a new one.
 */
public final class PartitionStatusLists {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionStatusLists.class);

    private final int partition;
    private final StatusListStore store;
    private final RandomGenerator random;
    private final Clock clock;
    /** The allocation written last and its bytes, compared by identity with what the store returns. */
    private byte[] lastAllocationBytes;
    private StatusIndexAllocation lastAllocation;
    /** Lists of this partition before this sequence are full. */
    private int firstOpenSequence;
    /** A list known to be in the store and published. */
    private String publishedListId;

    /**
     * @param partition the partition whose lists these are
     * @param store where the lists and allocations are kept
     * @param random picks free indexes
     * @param clock stamps created and changed lists
     */
    public PartitionStatusLists(int partition, StatusListStore store, RandomGenerator random, Clock clock) {
        this.partition = partition;
        this.store = Objects.requireNonNull(store, "store");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A taken index, and the list created for it when it is the first index of a new list: that list
     * must be published at once, so that the list URL in the credential resolves.
     */
    public record Allocation(StatusLists.Position position, Optional<StatusListState> created) {}

    /**
     * Takes a free index in the first {@code revocation} list of this partition that has one; the
     * two-bit {@code message} lists of credentials issued earlier get no new entries.
     */
    public Allocation allocate() {
        for (int sequence = firstOpenSequence; ; sequence++) {
            String listId = StatusLists.listId(partition, sequence);
            if (!listId.equals(publishedListId)) {
                StatusListState existing = store.list(listId);
                if (existing != null && !StatusLists.isRevocationList(existing)) {
                    firstOpenSequence = sequence + 1;
                    continue;
                }
            }
            byte[] stored = store.allocation(listId);
            StatusIndexAllocation allocation;
            if (stored == null) {
                allocation = StatusIndexAllocation.empty(StatusLists.ENTRIES);
            } else if (stored == lastAllocationBytes) {
                // A caching store hands back the array put last: no need to decode 16 KB again.
                allocation = lastAllocation;
            } else {
                allocation = StatusIndexAllocation.fromBytes(stored);
            }
            if (allocation.isFull()) {
                firstOpenSequence = sequence + 1;
                continue;
            }
            StatusIndexAllocation.Allocated allocated = allocation.allocate(random);
            byte[] bytes = allocated.allocation().toBytes();
            store.putAllocation(listId, bytes);
            lastAllocationBytes = bytes;
            lastAllocation = allocated.allocation();
            Optional<StatusListState> created = Optional.empty();
            if (!listId.equals(publishedListId)) {
                if (store.list(listId) == null) {
                    StatusListState empty = StatusLists.empty(listId, clock.instant());
                    store.putList(empty);
                    created = Optional.of(empty);
                    LOG.info("created status list {}", listId);
                }
                publishedListId = listId;
            }
            return new Allocation(new StatusLists.Position(listId, allocated.index()), created);
        }
    }

    /** Whether list {@code listId} is a two-bit {@code message} list, whose entries {@link #change} applies to. */
    public boolean isMessageList(String listId) {
        StatusListState state = store.list(listId);
        return state != null && !StatusLists.isRevocationList(state);
    }

    /**
     * Sets the revocation bit of credential {@code credentialId} at {@code position} of a
     * {@code revocation} list; the changed list, to publish, or empty when nothing changed.
     *
     * @param why what asked for the change, for the log
     */
    public Optional<StatusListState> revoke(String credentialId, StatusLists.Position position, String why) {
        StatusListState state = existing(credentialId, position, "revoke");
        if (state == null) {
            return Optional.empty();
        }
        StatusBitstring bits = StatusLists.bits(state);
        if (bits.status(position.index()) == 1) {
            LOG.info("credential {} is revoked already; {}", credentialId, why);
            return Optional.empty();
        }
        StatusListState changed = new StatusListState(state.listId(), state.purpose(), state.length(),
                bits.withStatus(position.index(), 1).encode(), clock.instant());
        store.putList(changed);
        LOG.info("credential {} (list {}, index {}) is now revoked ({})", credentialId, position.listId(),
                position.index(), why);
        return Optional.of(changed);
    }

    /**
     * Applies {@code action} to the two-bit entry of credential {@code credentialId} at
     * {@code position} of a {@code message} list, as before suspension became a revocation; the
     * changed list, to publish, or empty when nothing changed.
     *
     * @param why what asked for the change, for the log
     */
    public Optional<StatusListState> change(String credentialId, StatusLists.Position position, StatusAction action,
            String why) {
        StatusListState state = existing(credentialId, position, action.id());
        if (state == null) {
            return Optional.empty();
        }
        String listId = position.listId();
        int index = position.index();
        StatusBitstring bits = StatusLists.bits(state);
        CredentialStanding before = CredentialStanding.of(bits.status(index));
        CredentialStanding after = before.after(action);
        if (after.equals(before)) {
            LOG.info("{} of credential {} changes nothing ({}); {}", action.id(), credentialId, before, why);
            return Optional.empty();
        }
        StatusListState changed = new StatusListState(listId, state.purpose(), state.length(),
                bits.withStatus(index, after.value()).encode(), clock.instant());
        store.putList(changed);
        LOG.info("credential {} (list {}, index {}) is now {}: {} ({})", credentialId, listId, index, after,
                action.id(), why);
        return Optional.of(changed);
    }

    private StatusListState existing(String credentialId, StatusLists.Position position, String action) {
        StatusListState state = store.list(position.listId());
        if (state == null) {
            LOG.error("status list {} of credential {} is missing from this task's store; cannot {} it",
                    position.listId(), credentialId, action);
        }
        return state;
    }
}
