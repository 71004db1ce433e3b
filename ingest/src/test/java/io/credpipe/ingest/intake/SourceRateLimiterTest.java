package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final SourceRateLimiter limiter = new SourceRateLimiter(100, 200, now::get);

    @Test
    void aBurstPassesThenTheRateHolds() {
        assertThat(limiter.acquire("hr1", 200)).isEmpty();
        assertThat(limiter.acquire("hr1", 1)).contains(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.acquire("hr1", 50)).isEmpty();
        assertThat(limiter.acquire("hr1", 150)).contains(Duration.ofSeconds(2));
    }

    @Test
    void sourcesHaveTheirOwnBuckets() {
        assertThat(limiter.acquire("hr1", 200)).isEmpty();
        assertThat(limiter.acquire("hr2", 200)).isEmpty();
    }

    @Test
    void aRefusedRequestTakesNothing() {
        assertThat(limiter.acquire("hr1", 150)).isEmpty();
        assertThat(limiter.acquire("hr1", 100)).isPresent();
        assertThat(limiter.acquire("hr1", 50)).isEmpty();
    }
}
