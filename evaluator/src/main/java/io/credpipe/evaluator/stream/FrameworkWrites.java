package io.credpipe.evaluator.stream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many times the global frameworks store has been written by {@link FrameworkStoreWriter}.
 * The writer runs on the global thread and the evaluator's processors on the stream threads; a
 * processor that sees the count move knows its parsed frameworks may be stale. One instance per
 * topology, shared by its writer and processors.
 */
final class FrameworkWrites {

    private final AtomicLong count = new AtomicLong();

    /** Called after each write, so that a reader that sees the new count also sees the write. */
    void recorded() {
        count.incrementAndGet();
    }

    /** The writes so far. */
    long count() {
        return count.get();
    }
}
