package io.credpipe.issuer.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A budget of failed guesses per client (its address): secrets that are only as strong as the
 * number of tries allowed (access-link tokens, pre-authorized codes and their transaction codes,
 * exchange ids) should not be tried at machine speed. Each failure takes one token from the
 * client's bucket, which holds {@code failures} and refills one every {@code refill}; a client whose
 * bucket is empty is refused until a token is back. Successes cost nothing, so an operator opening
 * their own link is never held up by it.
 *
 * <p>At most {@code maxClients} buckets are kept, the least recently used forgotten first: a
 * forgotten client starts again with a full budget, which an attacker could only cause by guessing
 * from more addresses than that, who would have that many budgets anyway. Thread-safe.
 */
public final class GuessLimiter {

    /** 20 failures in a row, then one every 30 seconds: a mistyped link or code is never refused. */
    public static final int DEFAULT_FAILURES = 20;
    /** One failure's worth of budget is back after this long. */
    public static final Duration DEFAULT_REFILL = Duration.ofSeconds(30);
    /** Clients remembered at once. */
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    private final int failures;
    private final Duration refill;
    private final Clock clock;
    private final Map<String, Bucket> buckets;

    /** A client's remaining budget as of {@code at}. */
    private record Bucket(double tokens, Instant at) {}

    /** The default budget: {@value #DEFAULT_FAILURES} failures, one more every 30 seconds. */
    public GuessLimiter(Clock clock) {
        this(DEFAULT_FAILURES, DEFAULT_REFILL, DEFAULT_MAX_CLIENTS, clock);
    }

    /**
     * @param failures   failures a client may make in a row
     * @param refill     how long until one more failure is allowed
     * @param maxClients how many clients' budgets are kept
     * @param clock      the clock
     */
    public GuessLimiter(int failures, Duration refill, int maxClients, Clock clock) {
        if (failures < 1 || maxClients < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("failures, refill and maxClients must be positive");
        }
        this.failures = failures;
        this.refill = refill;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /**
     * Whether {@code client} must wait before its next try.
     *
     * @param client the client's address
     * @return empty when it may try; else how long until it may (at least a second, the unit of
     *     {@code Retry-After})
     */
    public synchronized Optional<Duration> refusal(String client) {
        Bucket bucket = current(client);
        if (bucket.tokens() >= 1) {
            return Optional.empty();
        }
        long millis = Math.round((1 - bucket.tokens()) * refill.toMillis());
        return Optional.of(Duration.ofSeconds(Math.max(1, (millis + 999) / 1000)));
    }

    /**
     * Records a failed guess by {@code client}: an unknown token, code or exchange.
     *
     * @param client the client's address
     */
    public synchronized void failed(String client) {
        Bucket bucket = current(client);
        buckets.put(client, new Bucket(Math.max(0, bucket.tokens() - 1), bucket.at()));
    }

    private Bucket current(String client) {
        Instant now = clock.instant();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return new Bucket(failures, now);
        }
        double regained = Duration.between(bucket.at(), now).toMillis() / (double) refill.toMillis();
        Bucket refilled = new Bucket(Math.min(failures, bucket.tokens() + Math.max(0, regained)), now);
        if (refilled.tokens() >= failures) {
            buckets.remove(client); // a full budget is the same as none remembered
        } else {
            buckets.put(client, refilled);
        }
        return refilled;
    }
}
