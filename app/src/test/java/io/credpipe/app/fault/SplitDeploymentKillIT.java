package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.fault.DecisionRuleModel.Event;
import io.credpipe.app.fault.DecisionRuleModel.Expected;
import io.credpipe.app.Pipeline;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split deployment ({@code credpipe ingest}, {@code credpipe evaluator}, {@code credpipe issuer},
 * each its own JVM from the shaded jar) on a broker this test owns, in its own JVM, so that it
 * outlives every kill. While an HR client posts NDJSON batches, the evaluator and the issuer are
 * each SIGKILLed at seeded random moments and restarted on their data directories.
 *
 * <p>The events are not all passes: some operators fail a statement, fail then pass, pass then fail
 * later (the credential is revoked), have a pass retracted (revoked), have a fail retracted and
 * pass, send a late fail dated before their pass (nothing changes), or reach a second level. What
 * must be issued and revoked is computed by {@link DecisionRuleModel} from DESIGN.md's rule, not by
 * the code under test. At the end: issued credentials equal the expected ones (operator, level,
 * sequence), no credential id has two records, no status entry (list, index) is shared, every
 * accepted event is on {@code assessments} exactly once, nothing went to the dead-letter topic, and
 * each credential's bit in its decoded status list credential is set exactly when the model says
 * it is revoked.
 *
 * <p>Bounded for {@code mvn verify}: 5,000 events, one kill of each. The long run:
 * {@code -Dcredpipe.faults.events=100000 -Dcredpipe.faults.kills=3}, and {@code
 * -Dcredpipe.faults.seed=N} to replay one. Results go to {@code target/fault-results/split-kill.txt}.
 */
class SplitDeploymentKillIT {

    private static final int EVENTS = Integer.getInteger("credpipe.faults.events", 5_000);
    private static final int KILLS = Integer.getInteger("credpipe.faults.kills", 1);
    private static final long SEED = Long.getLong("credpipe.faults.seed", System.nanoTime());
    private static final int LINES_PER_BATCH = 500;
    private static final String FRAMEWORK = "51-8091.00@v.26.05";
    private static final List<String> LEVELS = List.of("emerging", "developing", "proficient", "advanced");
    private static final int STATEMENTS = 10;
    private static final Duration PATIENCE = Duration.ofMinutes(3).plus(Duration.ofSeconds(EVENTS / 200));
    /** For the stages to work off everything at the end: generous, since only a failing run waits it out. */
    private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(5).plus(Duration.ofSeconds(EVENTS / 50));
    /** Well below the ~40 s a restarted dynamic member stalled before its group progressed, well above the few seconds a static one takes. */
    private static final Duration STALL_BOUND = Duration.ofSeconds(25);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void evaluatorAndIssuerSigkilledAtRandomMomentsLoseAndDuplicateNothing() throws Exception {
        System.out.println("SplitDeploymentKillIT seed " + SEED + " (replay with -Dcredpipe.faults.seed=" + SEED + ")");
        Random random = new Random(SEED);
        List<String> report = new ArrayList<>();
        report.add("seed " + SEED);
        long began = System.nanoTime();
        try (KafkaBroker broker = RealKafka.startPrivateBroker()) {
            String bootstrap = broker.bootstrapServers();
            Path ingestData = dir.resolve("ingest");
            String key = new ApiKeyStore(ingestData).create("hr1", false).key();
            int issuerPort = freePort();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            // Stable instance names, as a StatefulSet gives: a restarted instance rejoins as a static member.
            ServiceProcess issuer = new ServiceProcess("issuer", bootstrap, dir.resolve("issuer"), issuerPort, logs,
                    "--public-url", "http://127.0.0.1:" + issuerPort, "--instance-id", "issuer-0");
            ServiceProcess evaluator = new ServiceProcess("evaluator", bootstrap, dir.resolve("evaluator"), freePort(), logs,
                    "--instance-id", "evaluator-0");
            ServiceProcess ingest = new ServiceProcess("ingest", bootstrap, ingestData, freePort(), logs);
            List<ServiceProcess> services = List.of(issuer, evaluator, ingest);
            try (CredentialsTail credentials = new CredentialsTail(bootstrap)) {
                for (ServiceProcess service : services) {
                    service.start();
                }
                DecisionRuleModel model = new DecisionRuleModel(FRAMEWORK, LEVELS, STATEMENTS);
                Scenario scenario = Scenario.generate(random, EVENTS);
                scenario.events().forEach(model::apply);
                List<String> batches = batches(scenario.lines());
                report.add(String.format("%d events of %d operators in %d NDJSON batches of %d; operators by script: %s",
                        scenario.lines().size(), scenario.operators(), batches.size(), LINES_PER_BATCH, scenario.scripts()));

                // Each kill: before a random batch, a random delay after the previous one was taken.
                Map<Integer, List<ServiceProcess>> killsBefore = new HashMap<>();
                for (ServiceProcess victim : List.of(evaluator, issuer)) {
                    for (int k = 0; k < KILLS; k++) {
                        killsBefore.computeIfAbsent(1 + random.nextInt(Math.max(1, batches.size() - 1)), b -> new ArrayList<>()).add(victim);
                    }
                }
                int accepted = 0;
                int duplicates = 0;
                int probes = 0;
                Map<String, Duration> stalls = new java.util.LinkedHashMap<>();
                for (int b = 0; b < batches.size(); b++) {
                    for (ServiceProcess victim : killsBefore.getOrDefault(b, List.of())) {
                        long delay = random.nextInt(1500);
                        Thread.sleep(delay);
                        double at = (System.nanoTime() - began) / 1e9;
                        String group = victim == issuer ? Pipeline.ISSUER_APPLICATION_ID : Pipeline.EVALUATOR_APPLICATION_ID;
                        victim.kill();
                        Map<TopicPartition, Long> atKill = committed(broker, group);
                        double ready = victim.start();
                        long readyAt = System.nanoTime();
                        // Progress after the restart: a fresh operator's events become a credential.
                        String probe = "probe" + ++probes;
                        Scenario probeScript = Scenario.passes(probe);
                        probeScript.events().forEach(model::apply);
                        JsonNode answer = sendUntilTaken(ingest.base(), key, String.join("\n", probeScript.lines()) + "\n");
                        accepted += answer.get("accepted").asInt();
                        awaitProgress(broker, group, atKill);
                        Duration stall = Duration.ofNanos(System.nanoTime() - readyAt);
                        credentials.await(c -> c.operatorId().equals("acme:" + probe), 1, PATIENCE);
                        double probeIssued = (System.nanoTime() - readyAt) / 1e9;
                        report.add(String.format("kill %d: SIGKILL of the %s at %.1f s (before batch %d of %d, %d ms after the last"
                                        + " one was taken); restart to /health/ready %.1f s; ready to its group's first committed progress %.1f s;"
                                        + " ready to a fresh operator's credential %.1f s",
                                probes, victim == issuer ? "issuer" : "evaluator", at, b, batches.size(), delay, ready,
                                stall.toMillis() / 1e3, probeIssued));
                        stalls.put("kill " + probes + " (" + (victim == issuer ? "issuer" : "evaluator") + ")", stall);
                    }
                    JsonNode answer = sendUntilTaken(ingest.base(), key, batches.get(b));
                    accepted += answer.get("accepted").asInt();
                    duplicates += answer.get("duplicate").asInt();
                }
                int sent = scenario.lines().size() + probes * STATEMENTS;
                assertThat(accepted + duplicates).as("every line answered accepted or duplicate").isEqualTo(sent);

                List<Expected> expected = model.expected();
                Map<String, Expected> expectedByAchievement = expected.stream()
                        .collect(Collectors.toMap(Expected::achievement, e -> e));
                Map<String, List<IssuedCredential>> issued = credentials.await(c -> true, expected.size(), DRAIN_PATIENCE);
                Map<String, JsonNode> statusLists = awaitStatus(issued, expectedByAchievement);

                // Exactly the expected credentials, each once, each with a status entry of its own.
                Map<String, String> issuedAchievements = new HashMap<>();
                Map<String, String> statusEntries = new HashMap<>();
                int revoked = 0;
                for (List<IssuedCredential> records : issued.values()) {
                    IssuedCredential c = records.get(0);
                    assertThat(records).as("records of credential %s", c.credentialId()).hasSize(1);
                    String achievement = c.operatorId().substring("acme:".length()) + " " + c.level().id() + " " + c.sequence();
                    assertThat(issuedAchievements.put(achievement, c.credentialId())).as("credentials of %s", achievement).isNull();
                    JsonNode entry = payload(c.jwt()).get("credentialStatus");
                    String statusEntry = entry.get("statusListCredential").asText() + "#" + entry.get("statusListIndex").asText();
                    assertThat(statusEntries.put(statusEntry, c.credentialId())).as("status entry %s shared", statusEntry).isNull();
                    boolean bit = bit(statusLists.get(entry.get("statusListCredential").asText()), entry.get("statusListIndex").asInt());
                    Expected wanted = expectedByAchievement.get(achievement);
                    assertThat(wanted).as("credential %s (%s) is not expected", c.credentialId(), achievement).isNotNull();
                    assertThat(bit).as("revocation bit of %s", achievement).isEqualTo(wanted.revoked());
                    revoked += bit ? 1 : 0;
                }
                assertThat(issuedAchievements.keySet()).containsExactlyInAnyOrderElementsOf(expectedByAchievement.keySet());

                // No lost event, none twice: every line sent is on assessments once; nothing dead-lettered.
                Map<String, Integer> onTopic = new HashMap<>();
                TopicReader.readAll(bootstrap, Topics.ASSESSMENTS, (k, event) -> onTopic.merge(event.source() + "/" + event.eventId(), 1, Integer::sum));
                List<String> sentIds = new ArrayList<>();
                scenario.events().forEach(e -> sentIds.add("hr1/" + e.eventId()));
                for (int p = 1; p <= probes; p++) {
                    Scenario.passes("probe" + p).events().forEach(e -> sentIds.add("hr1/" + e.eventId()));
                }
                for (String id : sentIds) {
                    assertThat(onTopic.get(id)).as("records of event %s on assessments", id).isEqualTo(1);
                }
                assertThat(onTopic).hasSize(sentIds.size());
                int[] deadLetters = {0};
                TopicReader.readAll(bootstrap, Topics.ASSESSMENTS_DEAD_LETTER, (k, v) -> deadLetters[0]++);
                assertThat(deadLetters[0]).as("dead letters").isZero();

                report.add(String.format("%d events sent (%d of probe operators): %d accepted, %d reported duplicate, all on assessments"
                                + " exactly once, 0 dead letters", sent, probes * STATEMENTS, accepted, duplicates));
                report.add(String.format("credentials expected %d (%d revoked), issued %d (%d revoked in their status lists), duplicate ids 0,"
                                + " status entries %d distinct in %d status lists", expected.size(),
                        expected.stream().filter(Expected::revoked).count(), issued.size(), revoked, statusEntries.size(), statusLists.size()));
                report.add(String.format("whole run %.0f s", (System.nanoTime() - began) / 1e9));
                // Checked last, so that a slow restart still leaves the run's other results. A dynamic
                // member waited out its dead self's 45 s session here (~40 s measured).
                assertThat(stalls).as("ready to progress after each restart").allSatisfy((kill, stall) -> assertThat(stall).isLessThan(STALL_BOUND));
            } finally {
                Path results = Files.createDirectories(Path.of("target", "fault-results"));
                for (ServiceProcess service : services) {
                    service.stop();
                    service.keepLogs(results, "split-kill");
                }
                Files.write(results.resolve("split-kill.txt"), report);
                report.forEach(System.out::println);
            }
        }
    }

    /** The committed offsets of a Kafka Streams application's group (its transactions' commits). */
    private static Map<TopicPartition, Long> committed(KafkaBroker broker, String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> offsets.put(partition, offset == null ? -1 : offset.offset()));
            return offsets;
        }
    }

    /**
     * Waits until the restarted service commits beyond where its killed self had: the first transaction
     * it completes, whatever it processed (the probe's events guarantee there is something).
     */
    private static void awaitProgress(KafkaBroker broker, String group, Map<TopicPartition, Long> atKill) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Map<TopicPartition, Long> now = committed(broker, group);
            if (now.entrySet().stream().anyMatch(e -> e.getValue() > atKill.getOrDefault(e.getKey(), -1L))) {
                return;
            }
            assertThat(System.nanoTime()).as("%s progresses within %s", group, PATIENCE).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * The status list credentials of every issued credential, once each list shows every revocation
     * the model expects (a revocation is written after the credential, so it may lag behind it).
     */
    private static Map<String, JsonNode> awaitStatus(Map<String, List<IssuedCredential>> issued,
            Map<String, Expected> expected) throws Exception {
        long wanted = expected.values().stream().filter(Expected::revoked).count();
        long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
        while (true) {
            Map<String, JsonNode> lists = new HashMap<>();
            long set = 0;
            for (List<IssuedCredential> records : issued.values()) {
                JsonNode entry = payload(records.get(0).jwt()).get("credentialStatus");
                String url = entry.get("statusListCredential").asText();
                JsonNode list = lists.get(url);
                if (list == null) {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
                    list = payload(response.body().trim());
                    assertThat(list.get("type").toString()).contains("BitstringStatusListCredential");
                    lists.put(url, list);
                }
                set += bit(list, entry.get("statusListIndex").asInt()) ? 1 : 0;
            }
            if (set >= wanted) {
                return lists;
            }
            assertThat(System.nanoTime()).as("%d revocations within %s, have %d", wanted, DRAIN_PATIENCE, set).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    /** Bit {@code index} of a list's {@code encodedList}: multibase base64url of GZIP; index 0 is the first byte's highest bit. */
    private static boolean bit(JsonNode statusListCredential, int index) throws IOException {
        String encoded = statusListCredential.get("credentialSubject").get("encodedList").asText();
        assertThat(encoded).startsWith("u");
        byte[] gzipped = Base64.getUrlDecoder().decode(encoded.substring(1));
        byte[] bits;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            bits = in.readAllBytes();
        }
        assertThat(bits.length).as("list length in bytes").isGreaterThanOrEqualTo(131_072 / 8);
        return (bits[index / 8] >> (7 - index % 8) & 1) == 1;
    }

    private static List<String> batches(List<String> lines) {
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += LINES_PER_BATCH) {
            batches.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + LINES_PER_BATCH))) + "\n");
        }
        return batches;
    }

    /** Posts until answered 202: a 503 or a refused connection is retried, as {@code credpipe publish} does. */
    private static JsonNode sendUntilTaken(String base, String key, String batch) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                        .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    JsonNode answer = JSON.readTree(response.body());
                    assertThat(answer.get("rejected").asInt()).as(response.body()).isZero();
                    return answer;
                }
                assertThat(response.statusCode()).as(response.body()).isIn(503, 429);
            } catch (IOException notAnswered) {
                // resent below: ids make a resend harmless
            }
            assertThat(System.nanoTime()).as("batch taken within %s", PATIENCE).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    static JsonNode payload(String jwt) {
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
}
