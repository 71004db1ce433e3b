package io.credpipe.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The events already in the pipeline, by {@link EventKey} (source and event id), each with its
 * {@link EventFingerprint}: a resent event is a duplicate when its content is the same, a conflict
 * when it is not.
 *
 * <p>Each key is kept as the first 128 bits of its SHA-256 digest in an open-addressing table of
 * primitive longs, with the fingerprint's three longs beside it: 40 bytes per slot, about 80 MB for
 * a million events, where a {@code HashMap} of the keys and events would take several times that.
 * Two different keys share a digest prefix with probability about n²/2¹²⁹ (below 10⁻²⁶ for a
 * billion), so a new event is never mistaken for a seen one in practice. Thread-safe.
 */
public final class EventIdIndex {

    private static final double MAX_LOAD = 0.6;

    private long[] high;
    private long[] low;
    private long[] content;
    private long[] fieldsLow;
    private long[] fieldsHigh;
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
        allocate(capacity);
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        content = new long[capacity];
        fieldsLow = new long[capacity];
        fieldsHigh = new long[capacity];
    }

    /**
     * Records an event, unless its key is already recorded.
     *
     * @param key         the event's source and id
     * @param fingerprint its content
     * @return whether the key was new (when not, the first fingerprint is kept)
     */
    public synchronized boolean add(EventKey key, EventFingerprint fingerprint) {
        long[] digest = digest(key.text());
        if (size + 1 > high.length * MAX_LOAD) {
            grow();
        }
        long[] fields = fingerprint.fields();
        return insert(digest[0], digest[1], fingerprint.content(), fields[0], fields[1]);
    }

    /**
     * The fingerprint recorded under a key.
     *
     * @param key an event's source and id
     * @return its fingerprint, if the key is recorded
     */
    public synchronized Optional<EventFingerprint> find(EventKey key) {
        int slot = slotOf(digest(key.text()));
        return slot < 0 ? Optional.empty() : Optional.of(new EventFingerprint(content[slot], new long[] {fieldsLow[slot], fieldsHigh[slot]}));
    }

    /** The slot of a digest, or -1 when it is not recorded. */
    private int slotOf(long[] digest) {
        int mask = high.length - 1;
        for (int slot = (int) digest[1] & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0 && low[slot] == 0) {
                return -1;
            }
            if (high[slot] == digest[0] && low[slot] == digest[1]) {
                return slot;
            }
        }
    }

    /**
     * Whether a key is recorded.
     *
     * @param key an event's source and id
     * @return {@code true} when it is
     */
    public synchronized boolean contains(EventKey key) {
        return slotOf(digest(key.text())) >= 0;
    }

    /** How many ids are recorded. */
    public synchronized int size() {
        return size;
    }

    private boolean insert(long h, long l, long c, long fl, long fh) {
        int mask = high.length - 1;
        for (int slot = (int) l & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0 && low[slot] == 0) {
                high[slot] = h;
                low[slot] = l;
                content[slot] = c;
                fieldsLow[slot] = fl;
                fieldsHigh[slot] = fh;
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
        long[] oldContent = content;
        long[] oldFieldsLow = fieldsLow;
        long[] oldFieldsHigh = fieldsHigh;
        allocate(oldHigh.length * 2);
        size = 0;
        for (int i = 0; i < oldHigh.length; i++) {
            if (oldHigh[i] != 0 || oldLow[i] != 0) {
                insert(oldHigh[i], oldLow[i], oldContent[i], oldFieldsLow[i], oldFieldsHigh[i]);
            }
        }
    }

    /** The first 128 bits of SHA-256; the all-zero value marks a free slot, so it is moved off zero. */
    static long[] digest(String eventId) {
        byte[] bytes = EventFingerprint.sha256().digest(eventId.getBytes(StandardCharsets.UTF_8));
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
