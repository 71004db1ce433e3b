package io.credpipe.issuer;

import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind {@link IssuerCounts}, shared by the stream tasks of one service. */
final class IssuerMetrics {

    private final LongAdder issued = new LongAdder();
    private final LongAdder replaysIgnored = new LongAdder();
    private final LongAdder levelsLost = new LongAdder();
    private final LongAdder awaitingFramework = new LongAdder();
    private final LongAdder statusChanges = new LongAdder();

    void issued() {
        issued.increment();
    }

    void replayIgnored() {
        replaysIgnored.increment();
    }

    void levelLost() {
        levelsLost.increment();
    }

    void awaitingFramework() {
        awaitingFramework.increment();
    }

    void statusChanged() {
        statusChanges.increment();
    }

    IssuerCounts snapshot() {
        return new IssuerCounts(issued.sum(), replaysIgnored.sum(), levelsLost.sum(), awaitingFramework.sum(),
                statusChanges.sum());
    }
}
