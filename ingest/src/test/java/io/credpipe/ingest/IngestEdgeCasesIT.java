package io.credpipe.ingest;

import static io.credpipe.ingest.intake.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.intake.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that used to fail with 500 on a real broker (issue 19, points 3 and 5): inputs larger than a
 * Kafka record, malformed UTF-8, and an unreadable key file. Each is now a 4xx or 503 problem, and
 * whatever was refused after reading is recorded on {@code assessments-rejected}.
 */
@ExtendWith(RealKafka.class)
class IngestEdgeCasesIT {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TWO_MB = "n".repeat(2 * 1024 * 1024);

    private static KafkaBroker kafka;
    private static IngestService ingest;
    private static Javalin http;
    private static ApiKeyStore keys;
    private static String hr1Key;
    private static String adminKey;

    @BeforeAll
    static void start(KafkaBroker broker, @TempDir Path dataDir) {
        kafka = broker;
        kafka.createTopics(Topics.ALL, 2);
        // Its valid events refer to the seed frameworks; run alone, nothing else has published them.
        IngestIT.publishSeedFrameworks(kafka);
        keys = new ApiKeyStore(dataDir);
        hr1Key = keys.create("hr1", false).key();
        adminKey = keys.create("admin", true).key();
        ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS));
        IngestIT.awaitReady(ingest);
        http = IngestIT.server(ingest);
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void aTwoMegabyteNameIsRefusedAndRecordedInShortNot500() throws Exception {
        String eventId = "hr1-" + UUID.randomUUID();
        String body = edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", eventId);
            ((ObjectNode) e.get("operator")).put("name", TWO_MB);
        });

        HttpResponse<String> response = post("/v1/assessments", body.getBytes(StandardCharsets.UTF_8), "application/json", hr1Key);

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "invalid-event");
        assertThat(response.body()).doesNotContain("nnnnnnnnnn");
        Rejection rejection = awaitRejection(eventId);
        assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID_FIELD);
        assertThat(rejection.original()).contains("[truncated by ingest: " + body.length() + " bytes in all");
    }

    @Test
    void aTwoMegabyteCsvCellRejectsItsRowOnlyNot500() throws Exception {
        String good = "hr1-" + UUID.randomUUID();
        String big = "hr1-" + UUID.randomUUID();
        String csv = "eventId,type,occurredAt,source,operatorId,operatorName,statementId,result,assessorId\n"
                + good + ",assessment.recorded,2026-05-20T09:00:00Z,hr1,acme:E1,Dana,51-8091.00@v.26.05/emerging/1,pass,acme:A1\n"
                + big + ",assessment.recorded,2026-05-20T09:00:00Z,hr1,acme:E2," + TWO_MB + ",51-8091.00@v.26.05/emerging/1,pass,acme:A1\n";

        HttpResponse<String> response = post("/v1/assessments:import", csv.getBytes(StandardCharsets.UTF_8), "text/csv", hr1Key);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("accepted").asInt()).isEqualTo(1);
        assertThat(report.get("rejected").asInt()).isEqualTo(1);
        assertThat(awaitRejection(big).original()).contains("[truncated by ingest:");
    }

    @Test
    void aFrameworkTooLargeForOneRecordIs413() throws Exception {
        ObjectNode upload = (ObjectNode) JSON.readTree(io.credpipe.model.framework.SeedFrameworks.class.getResourceAsStream("51-8091.00.json"));
        ((ObjectNode) upload.get("framework")).put("version", "v.big-" + UUID.randomUUID().toString().substring(0, 8));
        ArrayNode emerging = (ArrayNode) upload.at("/framework/levels/emerging/statements");
        emerging.set(0, emerging.get(0).asText() + " " + TWO_MB);

        HttpResponse<String> response = post("/v1/frameworks", JSON.writeValueAsBytes(upload), "application/json", adminKey);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertProblem(response, "record-too-large");
        assertThat(response.body()).doesNotContain("nnnnnnnnnn").doesNotContain("Exception");
    }

    @Test
    void malformedUtf8Is400InJsonNdjsonAndCsvAndNeverAliasesAnotherId() throws Exception {
        String plain = "hr1-ab/cd-" + UUID.randomUUID();
        String accepted = edit(DESIGN_EXAMPLE, e -> e.put("eventId", plain));
        assertThat(post("/v1/assessments", accepted.getBytes(StandardCharsets.UTF_8), "application/json", hr1Key).statusCode())
                .isEqualTo(202);
        // The same id with "/" written as the overlong C0 AF: a lenient decoder reads it as the id above.
        byte[] overlong = withOverlongSlash(accepted, plain);

        for (String type : List.of("application/json", "application/x-ndjson")) {
            HttpResponse<String> response = post("/v1/assessments", overlong, type, hr1Key);
            assertThat(response.statusCode()).as(type).isEqualTo(400);
            assertProblem(response, "malformed-utf8");
        }
        byte[] csv = withOverlongSlash("eventId,type\n" + plain + ",assessment.recorded\n", plain);
        HttpResponse<String> csvResponse = post("/v1/assessments:import", csv, "text/csv", hr1Key);
        assertThat(csvResponse.statusCode()).isEqualTo(400);
        assertProblem(csvResponse, "malformed-utf8");
        // A lone continuation byte, a truncated sequence and an encoded surrogate are refused too.
        for (byte[] bad : List.of(new byte[] {'"', (byte) 0x80, '"'}, new byte[] {'"', (byte) 0xE2, (byte) 0x82},
                new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'})) {
            assertThat(post("/v1/assessments", bad, "application/json", hr1Key).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aCorruptKeyFileIs503WithRetryAfterAndRecoversWhenRepaired() throws Exception {
        byte[] good = Files.readAllBytes(keys.file());
        try {
            Files.writeString(keys.file(), "[{\"source\": \"hr1\", \"sha256\": ");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = post("/v1/assessments", DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8),
                        "application/json", hr1Key);
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertProblem(response, "credentials-unavailable");
            }
            Files.writeString(keys.file(), "");
            assertThat(post("/v1/frameworks", "{}".getBytes(StandardCharsets.UTF_8), "application/json", adminKey).statusCode())
                    .isEqualTo(503);
        } finally {
            Files.write(keys.file(), good);
        }
        String eventId = "hr1-" + UUID.randomUUID();
        assertThat(post("/v1/assessments", edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId)).getBytes(StandardCharsets.UTF_8),
                "application/json", hr1Key).statusCode()).isEqualTo(202);
    }

    private static byte[] withOverlongSlash(String text, String id) {
        int at = text.indexOf(id) + id.indexOf('/');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] before = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] after = text.substring(at + 1).getBytes(StandardCharsets.UTF_8);
        out.writeBytes(before);
        out.write(0xC0);
        out.write(0xAF);
        out.writeBytes(after);
        return out.toByteArray();
    }

    private static void assertProblem(HttpResponse<String> response, String slug) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/" + slug);
    }

    private static HttpResponse<String> post(String path, byte[] body, String contentType, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Rejection awaitRejection(String eventId) {
        var config = java.util.Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, Rejection> consumer = new KafkaConsumer<>(config,
                Topics.ASSESSMENTS_REJECTED.keySerde().deserializer(), Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ASSESSMENTS_REJECTED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Rejection> record : consumer.poll(Duration.ofMillis(200))) {
                    if (eventId.equals(record.key())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no rejection of " + eventId + " within " + KafkaBroker.PATIENCE);
    }
}
