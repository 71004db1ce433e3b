package io.credpipe.app.command;

import io.credpipe.bench.SigningBenchmark;
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
 * {@code credpipe bench signing}: the same credentials secured as ES256 JWTs and with an embedded
 * eddsa-rdfc-2022 Data Integrity proof, with where the proof's time goes. Needs no broker; the
 * benchmark's issuer keys live in a temporary directory, removed afterwards.
 */
@Command(name = "signing", mixinStandardHelpOptions = true,
        description = {"Measure Data Integrity (eddsa-rdfc-2022) signatures against ES256 JWT signatures of the same credentials.",
                "It secures N credpipe credentials both ways, one thread, both warm, then times JSON-LD to RDF, the canonical hash data and the Ed25519 signature on their own.",
                "It writes the signatures/s of both and where the time goes to <output>, one section per JDK version."})
public class SigningBenchCommand implements Callable<Integer> {

    @Option(names = "--credentials", paramLabel = "N", defaultValue = "2000",
            description = "Signatures measured of each kind (default: ${DEFAULT-VALUE}).")
    int credentials;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "2000",
            description = "Signatures of each kind before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/signing.md",
            description = "Where the results are written (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchCommand.quietLogs();
        Path keys = Files.createTempDirectory("credpipe-bench-signing");
        try {
            SigningBenchmark.Result result = new SigningBenchmark(
                    new SigningBenchmark.Options(credentials, warmUp, keys, output), System.out).run();
            spec.commandLine().getOut().printf("Data Integrity %,.0f signatures/s, ES256 JWT %,.0f signatures/s (written to %s)%n",
                    result.dataIntegrityPerSecond(), result.jwtPerSecond(), output);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(keys)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
