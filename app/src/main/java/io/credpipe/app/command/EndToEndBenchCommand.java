package io.credpipe.app.command;

import io.credpipe.app.Pipeline;
import io.credpipe.app.kafka.ScratchKafka;
import io.credpipe.bench.endtoend.EndToEndBenchmark;
import io.credpipe.bench.endtoend.Report;
import io.credpipe.issuer.delivery.WalletSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code credpipe bench end-to-end}: the whole pipeline ({@link Pipeline}, as {@code credpipe run}
 * starts it) on an embedded broker of its own, fed over HTTP; the harness is in the bench module,
 * which cannot start the pipeline itself (the launcher depends on it), so it is handed a starter.
 */
@Command(name = "end-to-end", mixinStandardHelpOptions = true,
        description = {"Measure the whole pipeline: events posted over HTTP to credentials readable over HTTP.",
                "It sends N events at full load, then a steady rate, through ingest, evaluator and issuer on a fresh embedded broker.",
                "It writes throughput, latency, memory, CPU per credential and the raw baselines to <output>, with plots beside it."})
public class EndToEndBenchCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000",
            description = "Events to send at full load (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--operators", paramLabel = "N",
            description = "Operators the events are spread over (default: a tenth of the events).")
    Long operators;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "4",
            description = "Concurrent HTTP clients at full load (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000",
            description = "Events per NDJSON request (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--steady-rate", paramLabel = "N", defaultValue = "1000",
            description = "Events per second in the steady phase (default: ${DEFAULT-VALUE}).")
    int steadyRate;

    @Option(names = "--steady-seconds", paramLabel = "S", defaultValue = "30",
            description = "How long the steady phase sends (default: ${DEFAULT-VALUE}).")
    int steadySeconds;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "10",
            description = "At full load, time every N-th credential's readability; every one at the steady rate (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of the pipeline's topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "1",
            description = {"Brokers of the embedded cluster (default: ${DEFAULT-VALUE}).",
                    "With 3, every topic has 3 replicas and min.insync.replicas 2: what replication costs."})
    int brokers;

    @Option(names = "--commit-interval-ms", paramLabel = "MS",
            description = "Override both stages' commit.interval.ms, to measure its trade-off (default: each stage's own).")
    Long commitIntervalMs;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/end-to-end.md",
            description = "The results file; its plots are written beside it (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long perOperatorOf = operators == null ? Math.max(1, events / 10) : operators;
        if (perOperatorOf < 1 || events % perOperatorOf != 0) {
            throw new ParameterException(spec.commandLine(), "--events must be a multiple of --operators");
        }
        if (brokers < 1 || commitIntervalMs != null && commitIntervalMs < 1) {
            throw new ParameterException(spec.commandLine(), "--brokers and --commit-interval-ms must be positive");
        }
        BenchCommand.quietLogs();
        try (ScratchKafka kafka = ScratchKafka.start("credpipe-bench-e2e", brokers)) {
            EndToEndBenchmark.Options options = new EndToEndBenchmark.Options(kafka.bootstrapServers(), brokers, events, perOperatorOf,
                    clients, batchSize, steadyRate, Duration.ofSeconds(steadySeconds), sampleEvery, partitions,
                    Optional.ofNullable(commitIntervalMs).map(Duration::ofMillis), kafka.workDirectory(), output);
            Report report = new EndToEndBenchmark(options, (bootstrap, dataDir) -> start(bootstrap, dataDir), System.out).run();
            spec.commandLine().getOut().printf("%s%nwritten to %s%n", report.markdown(), output);
            if (!report.complete()) {
                spec.commandLine().getErr().printf("incomplete run, missing: %s%n", String.join("; ", report.missing()));
                return 1;
            }
            return 0;
        }
    }

    private EndToEndBenchmark.RunningPipeline start(String bootstrap, Path dataDir) {
        Map<String, Object> overrides = commitIntervalMs == null ? Map.of() : Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        Pipeline pipeline = Pipeline.start(new Pipeline.Options(Optional.of(bootstrap), dataDir, Optional.of(partitions), "127.0.0.1", 0,
                Optional.empty(), "credpipe benchmark", Optional.empty(), EnumSet.allOf(Pipeline.Service.class)),
                Pipeline.Wallet.of(WalletSettings.DEFAULTS), overrides);
        return new EndToEndBenchmark.RunningPipeline() {
            @Override
            public String httpBase() {
                return pipeline.httpBase("127.0.0.1");
            }

            @Override
            public String sourceKey(String source) {
                return pipeline.apiKeys().rotate(source, false).key();
            }

            @Override
            public String evaluatorGroup() {
                return Pipeline.EVALUATOR_APPLICATION_ID;
            }

            @Override
            public String issuerGroup() {
                return Pipeline.ISSUER_APPLICATION_ID;
            }

            @Override
            public void close() {
                pipeline.close();
            }
        };
    }
}
