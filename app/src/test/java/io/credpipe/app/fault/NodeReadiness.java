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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waits until a {@code credpipe run} child process is ready, and reads its embedded broker's address from its log. */
final class NodeReadiness {

    private static final Pattern BROKER = Pattern.compile("embedded Kafka broker ready at (127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeReadiness() {}

    /**
     * The embedded broker's address once {@code /health/ready} answers 200 on {@code port}. A start
     * that fails its checks (the process died, not ready within {@code patience}) destroys the
     * process, so that no broker and pipeline keep running behind the test.
     */
    static String awaitReady(Process process, Path log, int port, Duration patience) throws Exception {
        try {
            long deadline = System.nanoTime() + patience.toNanos();
            while (true) {
                assertThat(process.isAlive()).as(() -> read(log)).isTrue();
                assertThat(System.nanoTime()).as(() -> "ready within " + patience + "\n" + read(log)).isLessThan(deadline);
                try {
                    int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        Matcher broker = BROKER.matcher(read(log));
                        assertThat(broker.find()).as("the log names the embedded broker").isTrue();
                        return broker.group(1);
                    }
                } catch (IOException notListeningYet) {
                    // not yet
                }
                Thread.sleep(100);
            }
        } catch (Exception | AssertionError e) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "cannot read " + log;
        }
    }
}
