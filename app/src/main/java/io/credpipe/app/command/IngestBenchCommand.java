package io.credpipe.app.command;

import io.credpipe.app.kafka.ScratchKafka;
import io.credpipe.bench.IngestBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code credpipe bench ingest}: HTTP NDJSON batches vs the raw producer, on a fresh embedded broker. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Send N events over HTTP NDJSON batches and the same N with the raw Kafka producer; write both rates and the ratio.")
public class IngestBenchCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "200000", description = "Events per path (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000", description = "Lines per HTTP request (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "2", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients;

    // --output as on every other benchmark; --out, its first spelling, still works.
    @Option(names = {"--output", "--out"}, paramLabel = "FILE", defaultValue = "bench/results/ingest.md",
            description = "Where the results are written (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchCommand.quietLogs();
        try (ScratchKafka kafka = ScratchKafka.start("credpipe-bench-ingest")) {
            IngestBenchmark.Result result = IngestBenchmark.run(
                    new IngestBenchmark.Settings(kafka.bootstrapServers(), events, batchSize, clients, output));
            spec.commandLine().getOut().printf("HTTP %,.0f events/s, raw producer %,.0f events/s, ratio %.2f (by CPU per event %.2f);"
                    + " HTTP floor %.2f (%.2f); written to %s%n", result.httpPerSecond(), result.producerPerSecond(), result.ratio(),
                    result.cpuRatio(), result.floorRatio(), result.floorCpuRatio(), output);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
