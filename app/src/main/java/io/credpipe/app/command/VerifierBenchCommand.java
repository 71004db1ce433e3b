package io.credpipe.app.command;

import io.credpipe.bench.VerifierBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credpipe bench verifier}: employer-side verification through {@code CredentialVerifier}
 * against raw Nimbus signature verification of the same JWTs. Needs no broker; the benchmark's
 * issuer keys live in a temporary directory, removed afterwards.
 */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = {"Measure CredentialVerifier against raw Nimbus ES256 verification of the same credentials.",
                "It verifies N credpipe-issued ES256 credentials through CredentialVerifier (every check; status list in memory) and the same JWTs with raw Nimbus, one thread, both warm.",
                "It writes the credentials/s of both and their ratio to <output>, one section per JDK version."})
public class VerifierBenchCommand implements Callable<Integer> {

    @Option(names = "--credentials", paramLabel = "N", defaultValue = "20000",
            description = "Verifications measured of each kind (default: ${DEFAULT-VALUE}).")
    int credentials;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "20000",
            description = "Verifications of each kind before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/verifier.md",
            description = "Where the results are written (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchCommand.quietLogs();
        Path keys = Files.createTempDirectory("credpipe-bench-verifier");
        try {
            VerifierBenchmark.Result result = new VerifierBenchmark(
                    new VerifierBenchmark.Options(credentials, warmUp, keys, output), System.out).run();
            spec.commandLine().getOut().printf("verifier %,.0f credentials/s, raw ES256 %,.0f verifications/s: %.0f %%, by CPU %.0f %% (written to %s)%n",
                    result.verifierPerSecond(), result.rawPerSecond(), 100 * result.ratio(), 100 * result.cpuRatio(), output);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(keys)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
