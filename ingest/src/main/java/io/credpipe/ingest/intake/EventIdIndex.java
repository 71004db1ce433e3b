package io.credpipe.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The events already in the pipeline, by {@link EventKey} (source and event id), each with its
 * {@link EventFingerprint}: a resent event is a duplicate when its content is the same, a conflict
 * when it is not.
 *
 * <p>Each key is kept as the first 128 bits of its SHA-256 digest in an open-addressing table of
 * primitive longs, with the fingerprint's four longs and the event's place in the log beside it:
 * 56 bytes per slot, about 112 MB for a million events, where a {@code HashMap} of the keys and events would take several times that.
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
    private long[] subject;
    /** partition in the high 16 bits, offset + 1 in the low 48; 0 when unknown. */
    private long[] position;
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
        subject = new long[capacity];
        position = new long[capacity];
    }

    /**
     * Records an event, unless its key is already recorded.
     *
     * @param key         the event's source and id
     * @param fingerprint its content
     * @return whether the key was new (when not, the first fingerprint is kept)
     */
    public synchronized boolean add(EventKey key, EventFingerprint fingerprint) {
        return add(key, fingerprint, null);
    }

    /**
     * Records an event and where it is in the log, unless its key is already recorded.
     *
     * @param key         the event's source and id
     * @param fingerprint its content
     * @param at          its partition and offset on {@code assessments}; {@code null} when unknown
     * @return whether the key was new
     */
    public synchronized boolean add(EventKey key, EventFingerprint fingerprint, LogPosition at) {
        long[] digest = digest(key.text());
        if (size + 1 > high.length * MAX_LOAD) {
            grow();
        }
        long[] fields = fingerprint.fields();
        long packed = at == null || at.partition() > 0xFFFF || at.offset() >= (1L << 48) - 1 ? 0
                : ((long) at.partition() << 48) | (at.offset() + 1);
        return insert(digest[0], digest[1], fingerprint.content(), fields[0], fields[1], fingerprint.subject(), packed);
    }

    /**
     * Where a recorded event is in the log.
     *
     * @param key an event's source and id
     * @return its partition and offset on {@code assessments}, if recorded with them
     */
    public synchronized Optional<LogPosition> position(EventKey key) {
        int slot = slot(key);
        if (slot < 0 || position[slot] == 0) {
            return Optional.empty();
        }
        return Optional.of(new LogPosition((int) (position[slot] >>> 48), (position[slot] & ((1L << 48) - 1)) - 1));
    }

    /** The slot holding a key, or -1. */
    private int slot(EventKey key) {
        long[] digest = digest(key.text());
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
     * The fingerprint recorded under a key.
     *
     * @param key an event's source and id
     * @return its fingerprint, if the key is recorded
     */
    public synchronized Optional<EventFingerprint> find(EventKey key) {
        int slot = slot(key);
        return slot < 0 ? Optional.empty()
                : Optional.of(new EventFingerprint(content[slot], new long[] {fieldsLow[slot], fieldsHigh[slot]}, subject[slot]));
    }

    /**
     * Whether a key is recorded.
     *
     * @param key an event's source and id
     * @return {@code true} when it is
     */
    public synchronized boolean contains(EventKey key) {
        return slot(key) >= 0;
    }

    /** How many ids are recorded. */
    public synchronized int size() {
        return size;
    }

    private boolean insert(long h, long l, long c, long fl, long fh, long s, long p) {
        int mask = high.length - 1;
        for (int slot = (int) l & mask; ; slot = (slot + 1) & mask) {
            if (high[slot] == 0 && low[slot] == 0) {
                high[slot] = h;
                low[slot] = l;
                content[slot] = c;
                fieldsLow[slot] = fl;
                fieldsHigh[slot] = fh;
                subject[slot] = s;
                position[slot] = p;
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
        long[] oldSubject = subject;
        long[] oldPosition = position;
        allocate(oldHigh.length * 2);
        size = 0;
        for (int i = 0; i < oldHigh.length; i++) {
            if (oldHigh[i] != 0 || oldLow[i] != 0) {
                insert(oldHigh[i], oldLow[i], oldContent[i], oldFieldsLow[i], oldFieldsHigh[i], oldSubject[i], oldPosition[i]);
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
