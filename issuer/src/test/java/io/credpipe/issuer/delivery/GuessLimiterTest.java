package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GuessLimiterTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private final MovingClock clock = new MovingClock();
    private final GuessLimiter limiter = new GuessLimiter(3, Duration.ofSeconds(30), 100, clock);

    @Test
    void aClientIsRefusedAfterItsFailuresUntilOneIsRegained() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refusal("10.0.0.1")).as("try %d", i).isEmpty();
            limiter.failed("10.0.0.1");
        }

        assertThat(limiter.refusal("10.0.0.1")).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.refusal("10.0.0.1")).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.refusal("10.0.0.1")).isEmpty();
        limiter.failed("10.0.0.1");
        assertThat(limiter.refusal("10.0.0.1")).as("one regained try, spent").isPresent();
    }

    @Test
    void clientsHaveTheirOwnBudgets() {
        for (int i = 0; i < 3; i++) {
            limiter.failed("10.0.0.1");
        }

        assertThat(limiter.refusal("10.0.0.1")).isPresent();
        assertThat(limiter.refusal("10.0.0.2")).isEmpty();
    }

    @Test
    void aClientThatStopsGuessingGetsItsWholeBudgetBackAndNoMore() {
        for (int i = 0; i < 3; i++) {
            limiter.failed("10.0.0.1");
        }
        clock.advance(Duration.ofDays(1));

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refusal("10.0.0.1")).isEmpty();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.refusal("10.0.0.1")).isPresent();
    }

    @Test
    void theLeastRecentlyUsedClientIsForgottenBeyondTheLimit() {
        GuessLimiter small = new GuessLimiter(1, Duration.ofMinutes(1), 2, clock);
        small.failed("a");
        small.failed("b");
        small.failed("c");

        assertThat(small.refusal("a")).as("forgotten: a full budget again").isEmpty();
        assertThat(small.refusal("c")).isPresent();
    }
}
