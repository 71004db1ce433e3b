package io.credpipe.ingest.intake;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per source: each event costs one token; a source gets {@code eventsPerSecond}
 * tokens a second and holds at most {@code burst}. A request takes all its events' tokens or none,
 * so a refused batch can be resent whole. Thread-safe.
 */
public final class SourceRateLimiter {

    private final double eventsPerSecond;
    private final long burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * Creates the limiter.
     *
     * @param eventsPerSecond the sustained rate per source
     * @param burst           the most tokens a bucket holds
     * @param nanoTime        the clock, e.g. {@code System::nanoTime}
     */
    public SourceRateLimiter(double eventsPerSecond, long burst, LongSupplier nanoTime) {
        if (eventsPerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.eventsPerSecond = eventsPerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /**
     * The sustained rate a source may send.
     *
     * @return events per second
     */
    public double eventsPerSecond() {
        return eventsPerSecond;
    }

    /**
     * Takes {@code events} tokens from the source's bucket.
     *
     * @return empty when granted; else how long until the bucket holds enough (never less than a
     *     second, the granularity of {@code Retry-After})
     */
    public Optional<Duration> acquire(String source, int events) {
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, nanoTime.getAsLong()));
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) / 1e9 * eventsPerSecond);
            bucket.updated = now;
            if (bucket.tokens >= events) {
                bucket.tokens -= events;
                return Optional.empty();
            }
            double seconds = (Math.min(events, burst) - bucket.tokens) / eventsPerSecond;
            return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds))));
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(long tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
