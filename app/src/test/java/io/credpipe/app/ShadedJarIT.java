package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command runs the shaded {@code credpipe.jar}, not the test classpath: a
 * dependency missing from the jar (a test-scope declaration that overrides a compile-scope one, say)
 * passes every other test and breaks {@code ./credpipe demo}. This starts {@code credpipe run} from the
 * jar on the embedded broker, as a separate JVM, and asks it for readiness and for a validated event.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target", "credpipe.jar");
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void thePipelineRunsFromTheShadedJar(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("mvn package builds the shaded jar before the integration tests").exists();
        int port = freePort();
        Path log = dir.resolve("run.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process run = new ProcessBuilder(List.of(java, "-jar", JAR.toAbsolutePath().toString(), "run",
                "--data-dir", dir.resolve("data").toString(), "--http-port", Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertThat(awaitReady(http, base, run, log)).as(() -> read(log)).isEqualTo(200);

            // Ingest validates events with the bundled JSON Schema; without a key it must still answer a problem.
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            HttpResponse<String> schema = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/v1/schemas/assessment-event.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(schema.statusCode()).isEqualTo(200);
            assertThat(read(log)).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");
        } finally {
            run.destroy();
            if (!run.waitFor(60, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
    }

    /**
     * The status of {@code /health/ready} once it is 200, or the last one when the process ends, its
     * main thread dies (the embedded broker's threads would keep the JVM up) or time runs out.
     */
    private static int awaitReady(HttpClient http, String base, Process run, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline && run.isAlive() && !read(log).contains("Exception in thread \"main\"")) {
            try {
                status = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return status;
                }
            } catch (IOException notListeningYet) {
                status = -1;
            }
            Thread.sleep(250);
        }
        return status;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "cannot read " + log + ": " + e.getMessage();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
