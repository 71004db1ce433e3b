package io.credpipe.bench.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final EndToEndBenchmark.Options OPTIONS = new EndToEndBenchmark.Options("localhost:9092", 1, 1_000, 100, 2, 100,
            500, Duration.ofSeconds(4), 10, 3, Optional.empty(), Path.of("work"), Path.of("end-to-end.md"));

    @Test
    void aRunWithEveryFigureIsComplete() {
        Report report = run(1_200, 3_000);

        assertThat(report.missing()).isEmpty();
        assertThat(report.complete()).isTrue();
        assertThat(report.markdown()).doesNotContain("Incomplete run");
    }

    @Test
    void aFailedBaselineIsNamed() {
        Report report = run(-1, 3_000);

        assertThat(report.complete()).isFalse();
        assertThat(report.missing()).containsExactly("the idempotent producer baseline");
        assertThat(report.markdown()).contains("**Incomplete run**, missing: the idempotent producer baseline.")
                .contains("| idempotent producer (`acks=all`, ingest's settings), the same NDJSON lines, one thread | failed (see the run's log) |");
    }

    private static Report run(double producer, double aggregate) {
        Report.Builder builder = new Report.Builder(OPTIONS, 10, 4);
        builder.fullLoad(Duration.ofSeconds(2), Duration.ofSeconds(3), 400,
                Map.of(Report.EVALUATOR, 1_000_000L, Report.ISSUER, 2_000_000L, Report.INGEST, 500_000L), 4_000_000L, Map.of());
        builder.steady(2_000, Duration.ofSeconds(5), 800);
        builder.memory(100 << 20, 200 << 20);
        Hops hops = new Hops();
        for (Hops.Hop hop : Hops.Hop.values()) {
            hops.mark("op-1/framework/emerging", hop, 1_000_000L * (hop.ordinal() + 1));
        }
        builder.hops(hops.markdown(), hops.complete());
        builder.baselines(producer, 900, aggregate);
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        latencies.put(EndToEndBenchmark.FULL, latencies(120, 80));
        latencies.put(EndToEndBenchmark.STEADY, latencies(60, 70));
        Timeline timeline = new Timeline();
        for (int second = 0; second < 2; second++) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String stage : new String[] {Report.STAGE_INGEST, Report.STAGE_EVALUATOR, Report.STAGE_ISSUER, Report.STAGE_CREDENTIALS}) {
                counts.put(stage, 100L * second);
            }
            timeline.add(new Timeline.Sample(second, counts, 1 << 20));
        }
        return builder.build(latencies, timeline, 0, 0.5, 1.5);
    }

    private static Latencies latencies(long... millis) {
        Latencies latencies = new Latencies();
        for (long ms : millis) {
            latencies.add(ms);
        }
        return latencies;
    }
}
