package io.credpipe.app.command;

import io.credpipe.app.kafka.ScratchKafka;
import io.credpipe.bench.IssuerBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credpipe bench issuer}: the issuer topology's signing throughput against raw Nimbus ES256
 * signing of the same payloads, on an embedded broker of its own in a temporary directory (removed
 * afterwards).
 */
@Command(name = "issuer", mixinStandardHelpOptions = true,
        description = {"Measure the issuer topology against raw Nimbus ES256 signing of the same credentials.",
                "It issues warm-up + N + N/4 credentials through the issuer topology (exactly_once_v2) on a fresh embedded broker and measures the middle N.",
                "In the same run it signs the same N payloads with raw Nimbus ES256 on one thread.",
                "It writes the credentials/s of both, measured warm, and their ratio to <output>, one section per JDK version."})
public class IssuerBenchCommand implements Callable<Integer> {

    @Option(names = "--credentials", paramLabel = "N", defaultValue = "20000",
            description = "Credentials to issue (default: ${DEFAULT-VALUE}).")
    int credentials;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "60000",
            description = "Credentials the topology issues before the measured ones, to compile its code (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of the topics (default: ${DEFAULT-VALUE}); one stream thread runs every task.")
    int partitions;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/issuer.md",
            description = "Where the results are written (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--commit-interval-ms", paramLabel = "MS",
            description = "Overrides the issuer's commit.interval.ms (its own: 50 ms), to measure the trade-off with latency.")
    Long commitIntervalMs;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchCommand.quietLogs();
        try (ScratchKafka kafka = ScratchKafka.start("credpipe-bench-issuer")) {
            IssuerBenchmark.Result result = new IssuerBenchmark(new IssuerBenchmark.Options(
                    kafka.bootstrapServers(), credentials, warmUp, partitions, kafka.workDirectory(), output,
                    java.util.Optional.ofNullable(commitIntervalMs).map(java.time.Duration::ofMillis)), System.out).run();
            spec.commandLine().getOut().printf("issuer %,.0f credentials/s, raw ES256 %,.0f signatures/s: %.0f %% (written to %s)%n",
                    result.issuerPerSecond(), result.rawPerSecond(), 100 * result.ratio(), output);
            return 0;
        }
    }

}
