package io.credpipe.issuer.stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

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

    /** Exposes the counters as {@code credpipe.issuer.*} counters of {@code meters}. */
    void register(MeterRegistry meters) {
        counter(meters, "credpipe.issuer.credentials.issued", "credentials signed", IssuerCounts::issued);
        counter(meters, "credpipe.issuer.replays.ignored", "achievements already issued", IssuerCounts::replaysIgnored);
        counter(meters, "credpipe.issuer.levels.lost", "LevelLost decisions received", IssuerCounts::levelsLost);
        counter(meters, "credpipe.issuer.awaiting.framework", "achievements set aside for a missing framework",
                IssuerCounts::awaitingFramework);
        counter(meters, "credpipe.issuer.status.changes", "credential status changes", IssuerCounts::statusChanges);
    }

    private void counter(MeterRegistry meters, String name, String description, ToLongFunction<IssuerCounts> count) {
        FunctionCounter.builder(name, this, m -> count.applyAsLong(m.snapshot())).description(description)
                .register(meters);
    }
}
