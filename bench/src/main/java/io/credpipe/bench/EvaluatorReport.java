package io.credpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The results file of {@link EvaluatorBenchmark}: the run's machine, the three applications' numbers, and what they mean. */
final class EvaluatorReport {

    private EvaluatorReport() {}

    /** Writes {@code result} of a run with {@code options} to {@link EvaluatorBenchmark.Options#resultFile()}. */
    static void write(EvaluatorBenchmark.Options options, EvaluatorBenchmark.Result result, double loadBefore, double loadAfter)
            throws IOException {
        Files.createDirectories(options.resultFile().toAbsolutePath().getParent());
        String date = DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.now().atOffset(ZoneOffset.UTC));
        String text = String.format("""
                # Evaluator throughput

                Measured %s by `credpipe bench evaluator` (`io.credpipe.bench.EvaluatorBenchmark`).

                | | |
                |---|---|
                | events (N) | %,d |
                | operators | %,d (%,d events each, over both seed frameworks, 1 in 10 a fail) |
                | partitions of `assessments` | %d |
                | JDK | %s %s |
                | cores | %d |
                | system load average (1 min) at start / end | %.1f / %.1f |
                | broker | %s |
                | guarantee | `exactly_once_v2`, 1 stream thread, the evaluator's commit interval (50 ms) and poll time (10 ms), both |
                | warm-up | each application first over the first %,d events, untimed, under an application id of its own |

                | run | time | events/s | CPU time | µs CPU / event |
                |---|---:|---:|---:|---:|
                | baseline: raw Kafka Streams aggregate (per operator, small JSON state, persistent store) | %.1f s | %,.0f | %.1f s | %.0f |
                | contract floor: the baseline plus an event index (a persistent, changelogged store probed and written once per event, with the evaluator's RocksDB options) | %.1f s | %,.0f | %.1f s | %.0f |
                | evaluator | %.1f s | %,.0f | %.1f s | %.0f |

                **Ratio evaluator / baseline: %.0f %%** (target: at least 80 %%); by CPU per event: %.0f %%.

                **Contract floor / baseline: %.0f %%**; by CPU per event: %.0f %%. DESIGN.md's idempotency rule
                (per source and event id, a re-send is a duplicate and the same id with other content is refused)
                needs every accepted id and a digest of its content, kept as durably as the progress. The floor
                adds only that to the baseline, parses each event once and does nothing else the evaluator
                does (field validation, every assessment kept for retractions, decisions, rejections): no
                evaluator that keeps the rule can be faster, so this is the most the ratio above can reach here.

                Each run is timed from its Kafka Streams client reaching RUNNING until its committed offsets reach
                the end of `assessments`; producing the events and the warm-up are not timed. The warm-up runs
                the three applications in turn before any is timed, so that the JIT compiler (on two cores it
                took a large share of one through every run) has compiled each one's code. CPU time is that of the client's own
                threads (stream, producer, consumer, global and state threads) over the run; the broker shares the
                JVM and is not counted. A load average above the core count means other processes shared the
                machine: compare the ratios, not the absolute numbers; the CPU ratio is the steadier of the two.
                """,
                date, result.events(), result.operators(), result.events() / result.operators(), options.partitions(),
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter,
                options.bootstrapServers().startsWith("127.0.0.1") || options.bootstrapServers().startsWith("localhost")
                        ? "single-node KRaft on loopback" : options.bootstrapServers(),
                options.warmUpEvents(),
                EvaluatorBenchmark.seconds(result.baselineTime()), result.baselinePerSecond(), EvaluatorBenchmark.seconds(result.baselineCpu()),
                result.baselineCpu().toNanos() / 1e3 / result.events(),
                EvaluatorBenchmark.seconds(result.floorTime()), result.events() / EvaluatorBenchmark.seconds(result.floorTime()), EvaluatorBenchmark.seconds(result.floorCpu()),
                result.floorCpu().toNanos() / 1e3 / result.events(),
                EvaluatorBenchmark.seconds(result.evaluatorTime()), result.evaluatorPerSecond(), EvaluatorBenchmark.seconds(result.evaluatorCpu()),
                result.evaluatorCpu().toNanos() / 1e3 / result.events(),
                100 * result.ratio(), 100 * result.cpuRatio(), 100 * result.floorRatio(), 100 * result.floorCpuRatio());
        Files.writeString(options.resultFile(), text);
    }
}
