package io.credpipe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A third-party wallet: the OpenWallet Foundation's OpenID4VCI client library
 * ({@code @openid4vc/openid4vci} on npm) running {@code src/test/node/wallet/wallet.mjs} in Node.js.
 * The JVM OpenID4VCI wallet library first chosen (EUDI's {@code eudi-lib-jvm-openid4vci-kt}) is not
 * served by the Maven registry these builds reach, so the wallet side comes from npm: the package and
 * its lock file pin the exact versions, installed with {@code npm ci} into {@code target/}.
 */
final class NodeWallet {

    private static final Path SOURCE = Paths.get("src/test/node/wallet");
    private static final Path WORK = Paths.get("target/node-wallet");

    private NodeWallet() {}

    /** Whether Node.js and npm are on the PATH. */
    static boolean available() {
        return run(List.of("node", "--version"), Paths.get("."), 30).exit == 0
                && run(List.of("npm", "--version"), Paths.get("."), 30).exit == 0;
    }

    /** Installs the wallet's locked dependencies once per build directory. */
    static synchronized void install() throws IOException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "wallet.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(WORK.resolve("node_modules/@openid4vc/openid4vci"))) {
            return;
        }
        Result installed = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), WORK, 300);
        if (installed.exit != 0) {
            throw new IllegalStateException("npm ci failed: " + installed.err);
        }
    }

    /** Runs the wallet on an offer link; returns its standard output (JSON) or throws with its error output. */
    static String receive(String offerLink, String txCode) {
        List<String> command = new ArrayList<>(List.of("node", "wallet.mjs", offerLink));
        if (txCode != null) {
            command.add(txCode);
        }
        Result result = run(command, WORK, 120);
        if (result.exit != 0) {
            throw new AssertionError("the wallet failed (exit " + result.exit + "): " + result.err + result.out);
        }
        return result.out;
    }

    /** How a Node.js (or npm) process ended. */
    record Result(int exit, String out, String err) {}

    private static Result run(List<String> command, Path directory, int timeoutSeconds) {
        return run(command, directory, timeoutSeconds, java.util.Map.of());
    }

    /** Runs {@code command} in {@code directory} with {@code environment} added; shared with {@link NodeVerifier}. */
    static Result run(List<String> command, Path directory, int timeoutSeconds, java.util.Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("node-wallet", ".out");
            Path err = Files.createTempFile("node-wallet", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", "timed out after " + timeoutSeconds + " s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }
}
