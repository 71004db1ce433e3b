package io.credpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The warm-up runs over none, some or all of the events, never more. */
class EvaluatorBenchmarkOptionsTest {

    private static EvaluatorBenchmark.Options options(long events, long warmUp) {
        return new EvaluatorBenchmark.Options("127.0.0.1:9092", events, warmUp, 10, 1, Path.of("work"), Path.of("out.md"));
    }

    @Test
    void aWarmUpOfNoneSomeOrAllOfTheEventsIsTaken() {
        assertThat(options(1_000, 0).warmUpEvents()).isZero();
        assertThat(options(1_000, 200).warmUpEvents()).isEqualTo(200);
        assertThat(options(1_000, 1_000).warmUpEvents()).isEqualTo(1_000);
    }

    @Test
    void aWarmUpBeyondTheEventsOrBelowNoneIsRefused() {
        assertThatThrownBy(() -> options(1_000, 1_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options(1_000, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
