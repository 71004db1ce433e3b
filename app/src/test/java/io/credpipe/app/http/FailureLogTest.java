package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    private final List<String> traced = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private Instant now = Instant.parse("2026-05-20T10:00:00Z");
    private final FailureLog log = new FailureLog(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, Duration.ofMinutes(1), new FailureLog.Sink() {
        @Override
        public void trace(String line, Throwable error) {
            traced.add(line);
        }

        @Override
        public void counted(String line) {
            counted.add(line);
        }
    });

    @Test
    void aFloodOfOneCauseIsOneTracePerIntervalThenACount() {
        for (int i = 0; i < 1_000; i++) {
            log.failed("POST /v1/assessments", "r" + i, defectA());
        }
        assertThat(traced).hasSize(1);
        assertThat(counted).hasSize(999);
        assertThat(counted.get(0)).contains("request id r1").contains("IllegalStateException");

        now = now.plus(Duration.ofSeconds(61));
        log.failed("POST /v1/assessments", "r1000", defectA());

        assertThat(traced).hasSize(2);
        assertThat(traced.get(1)).contains("r1000").contains("999 more failures of this cause");
    }

    @Test
    void distinctCausesAreEachTraced() {
        log.failed("GET /a", "r1", defectA());
        log.failed("GET /b", "r2", new RuntimeException("wrapped", defectB()));
        log.failed("GET /a", "r3", defectA());
        log.failed("GET /b", "r4", new RuntimeException("wrapped again", defectB()));

        assertThat(traced).hasSize(2);
        assertThat(counted).hasSize(2);
    }

    @Test
    void theCauseIsTheInnermostExceptionAndWhereItWasThrown() {
        String cause = FailureLog.causeOf(new RuntimeException("outer", defectB()));

        assertThat(cause).startsWith("java.lang.ArithmeticException at ").contains("defectB");
    }

    private static IllegalStateException defectA() {
        return new IllegalStateException("a " + System.nanoTime());
    }

    private static ArithmeticException defectB() {
        return new ArithmeticException("b");
    }
}
