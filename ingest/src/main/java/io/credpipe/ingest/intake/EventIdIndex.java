package io.credpipe.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The event ids already in the pipeline, for reporting a resent event as a duplicate.
 *
 * <p>Each id is kept as the first 128 bits of its SHA-256 digest in an open-addressing table of
 * primitive longs: 16 bytes per id plus free slots, about 32 MB for a million ids, where a
 * {@code HashSet<String>} would take several times that. Two different ids share a digest prefix
 * with probability about n²/2¹²⁹ (below 10⁻²⁶ for a billion ids), so a new event is never mistaken
 * for a duplicate in practice. Thread-safe.
 */
public final class EventIdIndex {

    private static final double MAX_LOAD = 0.6;

    private long[] high;
    private long[] low;
    private int size;

    /** An empty index sized for a few thousand ids; it grows as needed. */
    public EventIdIndex() {
        this(1 << 14);
    }

    /**
     * An empty index.
     *
     * @param initialCapacity how many slots to start with (rounded up to a power of two)
     */
    public EventIdIndex(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        high = new long[capacity];
        low = new long[capacity];
    }

    /** Records an id; returns whether it was new. */
    public synchronized boolean add(String eventId) {
        long[] digest = digest(eventId);
        if (size + 1 > high.length * MAX_LOAD) {
            grow();
        }
        return insert(digest[0], digest[1]);
    }

    /** Whether an id was recorded. */
    public synchronized boolean contains(String eventId) {
        long[] digest = digest(eventId);
        int mask = high.length - 1;
        for (int slot = (int) digest[1] & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0 && low[slot] == 0) {
                return false;
            }
            if (high[slot] == digest[0] && low[slot] == digest[1]) {
                return true;
            }
        }
    }

    /** How many ids are recorded. */
    public synchronized int size() {
        return size;
    }

    private boolean insert(long h, long l) {
        int mask = high.length - 1;
        for (int slot = (int) l & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0 && low[slot] == 0) {
                high[slot] = h;
                low[slot] = l;
                size++;
                return true;
            }
            if (high[slot] == h && low[slot] == l) {
                return false;
            }
        }
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        high = new long[oldHigh.length * 2];
        low = new long[oldLow.length * 2];
        size = 0;
        for (int i = 0; i < oldHigh.length; i++) {
            if (oldHigh[i] != 0 || oldLow[i] != 0) {
                insert(oldHigh[i], oldLow[i]);
            }
        }
    }

    /** The first 128 bits of SHA-256; the all-zero value marks a free slot, so it is moved off zero. */
    static long[] digest(String eventId) {
        byte[] bytes;
        try {
            bytes = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (bytes[i] & 0xff);
            l = (l << 8) | (bytes[i + 8] & 0xff);
        }
        if (h == 0 && l == 0) {
            l = 1;
        }
        return new long[] {h, l};
    }
}
