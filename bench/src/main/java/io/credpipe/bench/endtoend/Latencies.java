package io.credpipe.bench.endtoend;

import java.util.Arrays;

/**
 * Latencies of one phase in milliseconds, kept exactly (one long each, bounded by the credentials a
 * run issues) so that percentiles are exact. Thread-safe.
 */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
    }

    /** A sorted copy. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The {@code p}-th percentile (0-100) of sorted values by the nearest-rank method; -1 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
