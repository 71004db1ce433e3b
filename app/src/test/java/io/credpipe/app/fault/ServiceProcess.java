package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service of a split deployment ({@code credpipe ingest|evaluator|issuer}) as its own JVM from
 * the shaded jar, joined to a broker the test owns.
 */
final class ServiceProcess {

    private static final Path JAR = Path.of("target", "credpipe.jar");
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String service;
    private final List<String> arguments;
    private final int port;
    private final Path logs;
    private Process process;
    private int run;

    ServiceProcess(String service, String bootstrap, Path data, int port, Path logs, String... extra) {
        this.service = service;
        this.port = port;
        this.logs = logs;
        List<String> args = new ArrayList<>(List.of(service, "--bootstrap-servers", bootstrap, "--data-dir", data.toString(),
                "--http-port", Integer.toString(port)));
        args.addAll(List.of(extra));
        this.arguments = List.copyOf(args);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits for {@code /health/ready}; returns the seconds that took. */
    double start() throws Exception {
        assertThat(JAR).as("mvn package builds the shaded jar before the integration tests").exists();
        long started = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(arguments);
        Path log = log(run);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = started + PATIENCE.toNanos();
        while (true) {
            assertThat(process.isAlive()).as(() -> service + " died:\n" + read(log)).isTrue();
            assertThat(System.nanoTime()).as(() -> service + " ready within " + PATIENCE + "\n" + read(log)).isLessThan(deadline);
            try {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException notListeningYet) {
                // not yet
            }
            Thread.sleep(100);
        }
    }

    /**
     * {@code kill -9}: no shutdown hook, no leaving the group, no flush, no transaction aborted.
     * The exit value 137 (128 + 9) proves the process died of SIGKILL.
     */
    void kill() throws Exception {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s died of SIGKILL", service).isEqualTo(137);
        run++;
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Copies every run's log to {@code results} as {@code prefix-service-run-N.log}. */
    void keepLogs(Path results, String prefix) throws IOException {
        for (int r = 0; r <= run; r++) {
            if (Files.exists(log(r))) {
                Files.copy(log(r), results.resolve(prefix + "-" + service + "-run-" + r + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Path log(int r) {
        return logs.resolve(service + "-run-" + r + ".log");
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "cannot read " + log;
        }
    }
}
