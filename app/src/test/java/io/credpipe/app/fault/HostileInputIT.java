package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.http.HttpServer;
import io.credpipe.ingest.IngestConfig;
import io.credpipe.ingest.IngestService;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.json.Json;
import io.credpipe.testing.HostileInputs;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input in CI (issue 19): at least 10,000 generated inputs (seeded, {@link HostileInputs})
 * against the ingest routes of the app's HTTP server on a real broker: malformed and mutated JSON,
 * NDJSON and CSV, wrong types, huge numbers, deep nesting, broken and odd Unicode, odd headers and
 * mutated frameworks. Every answer is 2xx, or 4xx as {@code application/problem+json}; never 5xx,
 * never a hang. Valid events sent in between are all accepted and all arrive on {@code assessments}.
 * The server is still live at the end. {@code -Dcredpipe.fuzz.inputs=N} runs longer.
 */
@ExtendWith(RealKafka.class)
class HostileInputIT {

    private static final int INPUTS = Integer.getInteger("credpipe.fuzz.inputs", 10_000);
    private static final long SEED = Long.getLong("credpipe.fuzz.seed", 20261205L);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "application/json; charset=latin1", "application/x-ndjson", "text/csv", "text/plain", "", "application/json;;;",
        "multipart/form-data; boundary=x", "application/json; charset=\"UTF-8\""};
    private static final String[] AUTHORIZATIONS = {"", "Bearer", "Bearer ", "Basic aGk6aGk=", "Bearer cpk_", "bearer  cpk_x y",
        "Bearer cpk_" + "A".repeat(5000)};

    @Test
    void tenThousandHostileInputsAreAnswered2xxOr4xxProblemsAndValidEventsStillArrive(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        ApiKeyStore keys = new ApiKeyStore(dir);
        String hr1 = keys.create("hr1", false).key();
        String admin = keys.create("admin", true).key();
        byte[] framework = seedFramework("51-8099.00.json");
        HostileInputs inputs = new HostileInputs(SEED);
        Random random = new Random(SEED);
        Map<String, Integer> answers = new TreeMap<>();
        Set<String> validSent = new HashSet<>();
        int sent = 0;
        int requests = 0;
        try (IngestService ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS));
                HttpServer http = new HttpServer(List.of(HttpServer.ReadinessCheck.of("ingest", ingest::ready)),
                        List.of(ingest::addRoutes)).start("127.0.0.1", 0)) {
            awaitReady(ingest);
            String base = "http://127.0.0.1:" + http.port();
            // The valid events between hostile ones cite this framework: ingest refuses (422) an
            // event about a framework nobody has published.
            HttpResponse<String> published = send(base + "/v1/frameworks", seedFramework("51-8091.00.json"),
                    "application/json", "Bearer " + admin);
            assertThat(published.statusCode()).as(published.body()).isBetween(200, 299);
            while (sent < INPUTS) {
                int kind = random.nextInt(20);
                String path = "/v1/assessments";
                String type = "application/json";
                String key = hr1;
                byte[] body;
                int count = 1;
                if (kind < 8) {
                    body = inputs.jsonBody();
                } else if (kind < 13) {
                    body = inputs.ndjsonBody();
                    type = "application/x-ndjson";
                    count = HostileInputs.lines(body);
                } else if (kind < 17) {
                    body = inputs.csvBody();
                    path = "/v1/assessments:import";
                    type = "text/csv";
                    count = HostileInputs.lines(body);
                } else if (kind < 18) {
                    body = mutate(framework, random);
                    path = "/v1/frameworks";
                    key = admin;
                } else {
                    body = inputs.jsonBody();
                    type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
                    key = random.nextBoolean() ? null : AUTHORIZATIONS[random.nextInt(AUTHORIZATIONS.length)];
                }
                HttpResponse<String> response = send(base + path, body, type, key == null ? null : key.startsWith("cpk_")
                        ? "Bearer " + key : key);
                requests++;
                sent += count;
                answers.merge(response.statusCode() + " " + path, 1, Integer::sum);
                String context = "seed " + SEED + ", request " + requests + " to " + path + " (" + type + "): "
                        + new String(body, 0, Math.min(300, body.length), StandardCharsets.UTF_8) + "\n→ " + response.statusCode() + " "
                        + response.body().substring(0, Math.min(500, response.body().length()));
                assertThat(response.statusCode()).as(context).isBetween(200, 499);
                if (response.statusCode() >= 400) {
                    assertThat(response.headers().firstValue("Content-Type")).as(context)
                            .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                    JsonNode problem = JSON.readTree(response.body());
                    assertThat(problem.get("type").asText()).as(context).startsWith("https://credpipe.io/problems/");
                    assertThat(response.body()).as(context).doesNotContain("Exception").doesNotContain("at io.credpipe")
                            .doesNotContain("com.fasterxml");
                }
                if (requests % 25 == 0) {
                    String id = "fz-valid-" + requests;
                    String valid = HostileInputs.VALID_EVENT.replace("hr1-000042", id);
                    HttpResponse<String> ok = send(base + "/v1/assessments", valid.getBytes(StandardCharsets.UTF_8),
                            "application/json", "Bearer " + hr1);
                    assertThat(ok.statusCode()).as("valid event between hostile ones: %s", ok.body()).isEqualTo(202);
                    validSent.add(id);
                }
            }
            HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
        }
        Set<String> arrived = arrived(kafka, validSent);
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(validSent);
        List<String> summary = new ArrayList<>();
        summary.add("seed " + SEED + ": " + sent + " hostile inputs in " + requests + " requests, plus " + validSent.size()
                + " valid events (all accepted and on assessments)");
        answers.forEach((answer, n) -> summary.add("  " + answer + ": " + n));
        Path results = Path.of("target", "fault-results");
        Files.createDirectories(results);
        Files.write(results.resolve("hostile-input.txt"), summary);
        summary.forEach(System.out::println);
    }

    private static HttpResponse<String> send(String url, byte[] body, String type, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!type.isEmpty()) {
            request.header("Content-Type", type);
        }
        if (authorization != null && !authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] mutate(byte[] framework, Random random) {
        byte[] copy = framework.clone();
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
            copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
        }
        return copy;
    }

    private static void awaitReady(IngestService ingest) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (!ingest.ready()) {
            assertThat(System.nanoTime()).as("ingest ready within %s", KafkaBroker.PATIENCE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Set<String> arrived(KafkaBroker kafka, Set<String> wanted) {
        Set<String> found = new HashSet<>();
        try (KafkaConsumer<String, AssessmentEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Topics.ASSESSMENTS.keySerde().deserializer(), Topics.ASSESSMENTS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ASSESSMENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, AssessmentEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.contains(record.value().eventId())) {
                        found.add(record.value().eventId());
                    }
                }
            }
        }
        return found;
    }

    /** A bundled seed framework file, as an HR system would send it. */
    private static byte[] seedFramework(String file) throws java.io.IOException {
        try (java.io.InputStream in = io.credpipe.model.framework.SeedFrameworks.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("no bundled framework " + file);
            }
            return in.readAllBytes();
        }
    }
}
