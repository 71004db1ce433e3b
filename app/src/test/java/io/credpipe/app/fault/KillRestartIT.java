package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a whole {@code credpipe run} process (embedded broker, evaluator, issuer,
 * ingest in one JVM, started from the shaded jar) while an NDJSON batch is in flight and the
 * stream stages are behind, then a restart on the same data directory. The HR client resends what
 * it was not told was accepted (ids make that harmless). At the end every operator holds exactly
 * one credential for the level its events earn: none missing, none twice, no status index shared.
 *
 * <p>It also measures what the restart costs: from process start to {@code /health/ready}, and from
 * ready until a fresh operator's events have become a credential (the stall that waiting out dead
 * group members caused). The numbers go to {@code target/fault-results/kill-restart.txt} and
 * {@code docs/reliability.md}.
 *
 * <p>Bounded for {@code mvn verify}: one kill, 100 operators (1,000 events). A long run:
 * {@code -Dcredpipe.faults.kills=3 -Dcredpipe.faults.operators=1000}.
 */
class KillRestartIT {

    private static final int KILLS = Integer.getInteger("credpipe.faults.kills", 1);
    private static final int OPERATORS = Integer.getInteger("credpipe.faults.operators", 100);
    private static final int STATEMENTS = 10;
    private static final int LINES_PER_BATCH = 50;
    private static final String FRAMEWORK = "51-8091.00@v.26.05";
    private static final Path JAR = Path.of("target", "credpipe.jar");
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** Well below the 45 s session timeout the restarted process used to wait out, well above the ~5 s it takes now. */
    private static final Duration STALL_BOUND = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run's data directory stays for inspection
    Path dir;

    /** The operators' mail server: the process mails each credential to an operator with an address. */
    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    /** Waits until a mail to {@code address} has arrived. */
    private static void awaitMail(String address) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (java.util.Arrays.stream(smtp.getReceivedMessages()).noneMatch(message -> sentTo(message, address))) {
            assertThat(System.nanoTime()).as("a mail to the operator within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static boolean sentTo(jakarta.mail.internet.MimeMessage message, String address) {
        try {
            return java.util.Arrays.stream(message.getAllRecipients()).anyMatch(to -> to.toString().equals(address));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void killedMidBatchAndRestartedEveryCredentialIsIssuedExactlyOnce() throws Exception {
        assertThat(JAR).as("mvn package builds the shaded jar before the integration tests").exists();
        Path data = dir.resolve("data");
        String key = new ApiKeyStore(data).create("hr1", false).key();
        int port = freePort();
        List<String> batches = batches("op", OPERATORS);
        List<String> report = new ArrayList<>();
        int run = 0;
        Node node = Node.start(data, port, smtp.getSmtp().getPort(), dir.resolve("run-" + run + ".log"));
        int accepted = 0;
        int duplicates = 0;
        try {
            int killAt = batches.size() / (KILLS + 1);
            int kills = 0;
            for (int b = 0; b < batches.size(); b++) {
                if (kills < KILLS && b == killAt * (kills + 1)) {
                    // Mid-batch: the request is on its way when the process dies; its answer never comes.
                    CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(post(port, key, batches.get(b)),
                            HttpResponse.BodyHandlers.ofString());
                    Thread.sleep(20 + 30L * kills);
                    node.kill();
                    inFlight.handle((r, e) -> null).get(30, TimeUnit.SECONDS);
                    kills++;
                    run++;
                    long started = System.nanoTime();
                    node = Node.start(data, port, smtp.getSmtp().getPort(), dir.resolve("run-" + run + ".log"));
                    long ready = System.nanoTime();
                    String probe = "probe" + kills;
                    String address = probe + "@plant.example";
                    String probeBatch = batches(probe, 1, address).get(0);
                    sendUntilTaken(port, key, probeBatch);
                    awaitCredentials(node.bootstrap(), c -> c.operatorId().startsWith("acme:" + probe + "-"), 1);
                    long issued = System.nanoTime();
                    awaitMail(address);
                    long mailed = System.nanoTime();
                    report.add(String.format("kill %d: restart to ready %.1f s; ready to a fresh operator's credential %.1f s, "
                            + "to its e-mail %.1f s", kills, (ready - started) / 1e9, (issued - ready) / 1e9, (mailed - ready) / 1e9));
                    // Waiting out the dead process's group sessions took 45 s (measured 43.5 s before
                    // static membership); a restarted member now takes its own place at once. The
                    // notifier's consumer too: it waited out its dead self's session before mailing.
                    assertThat(Duration.ofNanos(issued - ready)).as("stall after restart").isLessThan(STALL_BOUND);
                    assertThat(Duration.ofNanos(mailed - ready)).as("stall of e-mails after restart").isLessThan(STALL_BOUND);
                }
                JsonNode answer = sendUntilTaken(port, key, batches.get(b));
                accepted += answer.get("accepted").asInt();
                duplicates += answer.get("duplicate").asInt();
                assertThat(answer.get("rejected").asInt()).as(answer.toString()).isZero();
            }
            int expected = OPERATORS + KILLS;
            Map<String, List<IssuedCredential>> credentials = awaitCredentials(node.bootstrap(), c -> true, expected);

            Map<String, Integer> perAchievement = new HashMap<>();
            Set<String> statusEntries = new HashSet<>();
            int records = 0;
            for (List<IssuedCredential> sameId : credentials.values()) {
                assertThat(sameId).as("records of credential %s", sameId.get(0).credentialId()).hasSize(1);
                IssuedCredential credential = sameId.get(0);
                records++;
                perAchievement.merge(credential.operatorId() + " " + credential.framework() + " " + credential.level(), 1, Integer::sum);
                JsonNode status = payload(credential.jwt()).get("credentialStatus");
                assertThat(statusEntries.add(status.get("statusListCredential").asText() + "#" + status.get("statusListIndex").asText()))
                        .as("status entry of %s is its own", credential.credentialId()).isTrue();
            }
            assertThat(perAchievement).hasSize(expected);
            assertThat(perAchievement.values()).allMatch(n -> n == 1);
            report.add(String.format("%d operators, %d events (%d batches, %d kills): %d accepted, %d reported duplicate on resend; "
                    + "credentials expected %d, issued %d, duplicates 0, status entries %d distinct",
                    OPERATORS, OPERATORS * STATEMENTS, batches.size(), KILLS, accepted, duplicates, expected, records, statusEntries.size()));
        } finally {
            node.stop();
            report.add("transaction ends written by credpipe for markers Kafka dropped (HangingTransactions): " + endedByWatcher(run));
            Path results = Path.of("target", "fault-results");
            Files.createDirectories(results);
            Files.write(results.resolve("kill-restart.txt"), report);
            for (int r = 0; r <= run; r++) {
                Path log = dir.resolve("run-" + r + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, results.resolve("kill-restart-run-" + r + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            report.forEach(System.out::println);
        }
    }

    /** The partitions on which the embedded broker's watcher ended a transaction, over the runs' logs. */
    private long endedByWatcher(int runs) throws IOException {
        long ended = 0;
        for (int r = 0; r <= runs; r++) {
            Path log = dir.resolve("run-" + r + ".log");
            if (Files.exists(log)) {
                try (Stream<String> lines = Files.lines(log)) {
                    ended += lines.filter(line -> line.contains("ended a transaction on")).count();
                }
            }
        }
        return ended;
    }

    /** NDJSON batches: each operator passes every emerging statement, which earns one credential. */
    private static List<String> batches(String prefix, int operators) {
        return batches(prefix, operators, null);
    }

    /** As {@link #batches(String, int)}, every operator with the e-mail address {@code email} when not null. */
    private static List<String> batches(String prefix, int operators, String email) {
        List<String> lines = new ArrayList<>();
        Instant base = Instant.parse("2026-05-20T08:00:00Z");
        for (int o = 0; o < operators; o++) {
            for (int n = 1; n <= STATEMENTS; n++) {
                lines.add(String.format("{\"eventId\":\"%s-%d-%d\",\"type\":\"assessment.recorded\",\"occurredAt\":\"%s\","
                        + "\"source\":\"hr1\",\"operator\":{\"id\":\"acme:%s-%d\",\"name\":\"Operator %d\"%s},"
                        + "\"statementId\":\"%s/emerging/%d\",\"result\":\"pass\",\"assessor\":{\"id\":\"acme:S1\"}}",
                        prefix, o, n, base.plusSeconds(60L * n), prefix, o, o,
                        email == null ? "" : ",\"email\":\"" + email + "\"", FRAMEWORK, n));
            }
        }
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += LINES_PER_BATCH) {
            batches.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + LINES_PER_BATCH))) + "\n");
        }
        return batches;
    }

    /** Posts until answered 202 (a restart or a 503 in between is retried, as {@code credpipe publish} does). */
    private static JsonNode sendUntilTaken(int port, String key, String batch) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(post(port, key, batch), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return JSON.readTree(response.body());
                }
                assertThat(response.statusCode()).as(response.body()).isIn(503, 429);
            } catch (IOException notListening) {
                // retried below
            }
            assertThat(System.nanoTime()).as("batch taken within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static HttpRequest post(int port, String key, String batch) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/assessments"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build();
    }

    /** Every committed record of {@code credentials} by credential id, once {@code count} match {@code wanted}. */
    private static Map<String, List<IssuedCredential>> awaitCredentials(String bootstrap,
            java.util.function.Predicate<IssuedCredential> wanted, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Map<String, List<IssuedCredential>> all = readCredentials(bootstrap);
            long matching = all.values().stream().map(l -> l.get(0)).filter(wanted).count();
            if (matching >= count) {
                return all;
            }
            assertThat(System.nanoTime()).as("%d credentials within %s, have %d", count, PATIENCE, matching).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static Map<String, List<IssuedCredential>> readCredentials(String bootstrap) {
        Map<String, List<IssuedCredential>> byId = new HashMap<>();
        try (KafkaConsumer<String, IssuedCredential> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CREDENTIALS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, IssuedCredential> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        byId.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                    }
                }
            }
        }
        return byId;
    }

    private static JsonNode payload(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One {@code credpipe run} process. */
    private record Node(Process process, Path log, String bootstrap) {

        static Node start(Path data, int port, int smtpPort, Path log) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-jar", JAR.toAbsolutePath().toString(), "run",
                    "--data-dir", data.toString(), "--http-port", Integer.toString(port),
                    "--smtp-url", "smtp://127.0.0.1:" + smtpPort))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Node(process, log, NodeReadiness.awaitReady(process, log, port, PATIENCE));
        }

        /** SIGKILL: no shutdown hook, no leaving the group, no flush. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private static String read(Path log) {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "cannot read " + log;
            }
        }
    }
}
