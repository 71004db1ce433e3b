package io.credpipe.issuer.status;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Which indexes of one status list are taken. Indexes are handed out at random among the free ones
 * (Bitstring Status List v1.0 §6.1 "Group Privacy": indexes must not reveal issue order) and never
 * twice. Immutable: {@link #allocate} returns the index and the allocation that includes it.
 *
 * <p>The serialised form ({@link #toBytes()}) is the bitmap of taken indexes, bit {@code i} being bit
 * {@code 7 - i % 8} of byte {@code i / 8}.
 */
public final class StatusIndexAllocation {

    private final long[] taken;
    private final int entries;
    private final int count;

    private StatusIndexAllocation(long[] taken, int entries, int count) {
        this.taken = taken;
        this.entries = entries;
        this.count = count;
    }

    /** A list of {@code entries} indexes, none taken. */
    public static StatusIndexAllocation empty(int entries) {
        if (entries < 1 || entries % 64 != 0) {
            throw new IllegalArgumentException("entries must be a positive multiple of 64, not " + entries);
        }
        return new StatusIndexAllocation(new long[entries / 64], entries, 0);
    }

    /** Reads {@link #toBytes()}. */
    public static StatusIndexAllocation fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0 || bytes.length % 8 != 0) {
            throw new IllegalArgumentException("an allocation bitmap is a positive multiple of 8 bytes");
        }
        long[] taken = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).asLongBuffer().get(taken);
        int count = 0;
        for (long word : taken) {
            count += Long.bitCount(word);
        }
        return new StatusIndexAllocation(taken, bytes.length * 8, count);
    }

    /** The bitmap of taken indexes. */
    public byte[] toBytes() {
        ByteBuffer bytes = ByteBuffer.allocate(taken.length * 8);
        bytes.asLongBuffer().put(taken);
        return bytes.array();
    }

    /** The number of indexes. */
    public int entries() {
        return entries;
    }

    /** How many indexes are taken. */
    public int taken() {
        return count;
    }

    /** Whether every index is taken. */
    public boolean isFull() {
        return count == entries;
    }

    /** Whether {@code index} is taken. */
    public boolean isTaken(int index) {
        return (taken[index / 64] & (1L << (63 - index % 64))) != 0;
    }

    /**
     * Takes a free index chosen uniformly at random among the free ones.
     *
     * @throws IllegalStateException when the list is full
     */
    public Allocated allocate(RandomGenerator random) {
        if (isFull()) {
            throw new IllegalStateException("every index of the status list is taken");
        }
        // Uniform among the free indexes with one random draw and no retries: pick the n-th free one.
        int n = random.nextInt(entries - count);
        int word = 0;
        int free = 64 - Long.bitCount(taken[word]);
        while (n >= free) {
            n -= free;
            word++;
            free = 64 - Long.bitCount(taken[word]);
        }
        int bit = 0;
        for (; ; bit++) {
            if ((taken[word] & (1L << (63 - bit))) == 0) {
                if (n == 0) {
                    break;
                }
                n--;
            }
        }
        long[] next = taken.clone();
        next[word] |= 1L << (63 - bit);
        return new Allocated(word * 64 + bit, new StatusIndexAllocation(next, entries, count + 1));
    }

    /**
     * The result of {@link #allocate}.
     *
     * @param index the index taken
     * @param allocation the allocation including it
     */
    public record Allocated(int index, StatusIndexAllocation allocation) {}

    @Override
    public String toString() {
        return "StatusIndexAllocation[" + count + " of " + entries + " taken]";
    }
}
