package io.credpipe.ingest;

import static io.credpipe.ingest.intake.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.intake.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.ingest.intake.AssessmentValidatorTest;
import io.credpipe.ingest.intake.CsvAssessmentsTest;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealKafka.class)
public class IngestIT {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaBroker kafka;
    private static IngestService ingest;
    private static Javalin http;
    private static ApiKeyStore keys;
    private static String hr1Key;
    private static SimpleMeterRegistry meters;

    @BeforeAll
    static void start(KafkaBroker broker, @TempDir Path dataDir) {
        kafka = broker;
        kafka.createTopics(Topics.ALL, 2);
        publishSeedFrameworks(kafka);
        keys = new ApiKeyStore(dataDir);
        hr1Key = keys.create("hr1", false).key();
        meters = new SimpleMeterRegistry();
        ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS), meters);
        awaitReady(ingest);
        http = server(ingest);
    }

    /** What the app does at start: the bundled frameworks on {@code frameworks}, which events refer to. */
    public static void publishSeedFrameworks(KafkaBroker broker) {
        try (KafkaProducer<String, Framework> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework));
            }
            producer.flush();
        }
    }

    static void awaitReady(IngestService service) {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (!service.ready()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ingest did not read the seen event ids within " + KafkaBroker.PATIENCE);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
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

    /** A bare server with what the app installs: ProblemException rendered as problem+json. */
    static Javalin server(IngestService service) {
        Javalin server = Javalin.create();
        server.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            try {
                ctx.status(e.problem().status()).contentType("application/problem+json")
                        .result(JSON.writeValueAsBytes(e.problem()));
            } catch (Exception serialisation) {
                throw new IllegalStateException(serialisation);
            }
        });
        service.addRoutes(server);
        return server.start("127.0.0.1", 0);
    }

    @Test
    void validEventIsAcceptedOnceKafkaHasItKeyedByOperator() throws Exception {
        String eventId = "hr1-" + UUID.randomUUID();
        String body = edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId));

        HttpResponse<String> response = post(http, body, "application/json; charset=UTF-8");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"eventId\":\"" + eventId + "\",\"status\":\"accepted\"}"));
        ConsumerRecord<String, AssessmentEvent> record = awaitRecord(Topics.ASSESSMENTS, r -> eventId.equals(r.value().eventId()));
        assertThat(record.key()).isEqualTo("acme:E1234");
        assertThat(record.value().result()).isEqualTo(AssessmentResult.PASS);
        assertThat(record.value().operator().email()).isEqualTo("dana@example.com");
        assertThat(record.value().statementId()).isEqualTo("51-8091.00@v.26.05/emerging/1");
    }

    @Test
    void invalidEventIsAnsweredWithPointersAndRecordedAsRejected() throws Exception {
        String eventId = "hr1-" + UUID.randomUUID();
        String body = edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", eventId);
            e.put("statementId", "51-8091.00@v.26.05/expert/1");
            e.remove("assessor");
        });

        HttpResponse<String> response = post(http, body, "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        Problem problem = JSON.readValue(response.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("https://credpipe.io/problems/invalid-event");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).extracting(Problem.FieldError::pointer).containsExactly("/assessor", "/statementId");

        ConsumerRecord<String, Rejection> rejected = awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> eventId.equals(r.key()));
        assertThat(rejected.value().reason()).isEqualTo(RejectionReason.INVALID_FIELD);
        assertThat(rejected.value().stage()).isEqualTo("ingest");
        assertThat(rejected.value().original()).isEqualTo(body);
        assertThat(rejected.value().detail()).contains("/assessor is required").contains("/statementId must be a statement id");
    }

    @Test
    void malformedJsonIsAnsweredAndRecorded() throws Exception {
        String marker = UUID.randomUUID().toString();
        String body = "{\"eventId\": \"" + marker + "\", ";

        HttpResponse<String> response = post(http, body, "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://credpipe.io/problems/malformed-json");
        assertThat(problem.get("detail").asText()).startsWith("not well-formed JSON at line 1");
        ConsumerRecord<String, Rejection> rejected = awaitRecord(Topics.ASSESSMENTS_REJECTED,
                r -> r.value().original().contains(marker));
        assertThat(rejected.key()).as("no event id can be read").isNull();
        assertThat(rejected.value().reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
    }

    @Test
    void otherContentTypesAreUnsupported() throws Exception {
        for (String contentType : List.of("text/plain", "text/csv", "application/json; charset=ISO-8859-1")) {
            HttpResponse<String> response = post(http, DESIGN_EXAMPLE, contentType);

            assertThat(response.statusCode()).as(contentType).isEqualTo(415);
            assertThat(JSON.readTree(response.body()).get("type").asText())
                    .isEqualTo("https://credpipe.io/problems/unsupported-media-type");
        }
    }

    @Test
    void theSchemaIsServed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(http, IngestService.SCHEMA_PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/schema+json"));
        assertThat(JSON.readTree(response.body()).get("$id").asText()).isEqualTo("https://credpipe.io/schemas/assessment-event.json");
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(http, IngestService.OPENAPI_PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void unreachableKafkaIsA503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (IngestService down = new IngestService(new IngestConfig("127.0.0.1:" + closedPort, Duration.ofSeconds(1), keys,
                IngestConfig.Limits.DEFAULTS))) {
            Javalin server = server(down);
            try {
                long started = System.nanoTime();
                HttpResponse<String> response = post(server, DESIGN_EXAMPLE, "application/json");

                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue(String.valueOf(IngestService.RETRY_AFTER_SECONDS));
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/kafka-unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void requestsWithoutAValidKeyAre401WithABearerChallenge() throws Exception {
        HttpResponse<String> none = post(http, DESIGN_EXAMPLE, "application/json", null);
        HttpResponse<String> unknown = post(http, DESIGN_EXAMPLE, "application/json", "cpk_" + "A".repeat(43));
        HttpRequest basic = HttpRequest.newBuilder(uri(http, IngestService.ASSESSMENTS_PATH))
                .header("Content-Type", "application/json").header("Authorization", "Basic aHIxOng=")
                .POST(HttpRequest.BodyPublishers.ofString(DESIGN_EXAMPLE)).build();
        HttpResponse<String> wrongScheme = HTTP.send(basic, HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(none, unknown, wrongScheme)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/unauthorized");
        }
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));
    }

    @Test
    void aKeyWritesOnlyItsOwnSourcesEvents() throws Exception {
        String hr2Key = keys.create("hr2-" + UUID.randomUUID().toString().substring(0, 8), false).key();

        HttpResponse<String> response = post(http, edit(DESIGN_EXAMPLE, e -> e.put("eventId", "hr1-" + UUID.randomUUID())),
                "application/json", hr2Key);

        assertThat(response.statusCode()).isEqualTo(403);
        Problem problem = JSON.readValue(response.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("https://credpipe.io/problems/forbidden-source");
        assertThat(problem.errors()).extracting(Problem.FieldError::pointer).containsExactly("/source");
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        String source = "tmp-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.create(source, false).key();
        keys.revoke(source);

        assertThat(post(http, DESIGN_EXAMPLE, "application/json", key).statusCode()).isEqualTo(401);
    }

    @Test
    void aResentEventIsADuplicateAndEntersOnceEvenAfterARestart() throws Exception {
        String eventId = "hr1-" + UUID.randomUUID();
        String body = edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId));

        assertThat(post(http, body, "application/json").statusCode()).isEqualTo(202);
        HttpResponse<String> again = post(http, body, "application/json");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("status").asText()).isEqualTo("duplicate");

        try (IngestService restarted = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS))) {
            awaitReady(restarted);
            Javalin server = server(restarted);
            try {
                HttpResponse<String> afterRestart = post(server, body, "application/json");
                assertThat(afterRestart.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(afterRestart.body()).get("status").asText()).isEqualTo("duplicate");
            } finally {
                server.stop();
            }
        }
        assertThat(count(Topics.ASSESSMENTS, r -> eventId.equals(r.value().eventId()))).isEqualTo(1);
    }

    /**
     * Issue 16.2 and 16.3: idempotency is per (source, eventId), a correction under a used id is
     * 409 naming the field, and both hold after a restart (the index is rebuilt from the topic).
     */
    @Test
    void idempotencyIsPerSourceAndACorrectionIsAConflictEvenAfterARestart() throws Exception {
        String hr2 = "hr2-" + UUID.randomUUID().toString().substring(0, 8);
        String hr2Key = keys.create(hr2, false).key();
        String eventId = "e-" + UUID.randomUUID();
        String fromHr1 = edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId));
        String fromHr2 = edit(DESIGN_EXAMPLE, e -> { e.put("eventId", eventId); e.put("source", hr2); });
        String corrected = edit(DESIGN_EXAMPLE, e -> { e.put("eventId", eventId); e.put("result", "fail"); });
        double conflictsBefore = meters.find("credpipe.ingest.rejections").tag("reason", "conflicting_duplicate").counters()
                .stream().mapToDouble(c -> c.count()).sum();

        assertThat(post(http, fromHr1, "application/json").statusCode()).isEqualTo(202);
        assertThat(post(http, fromHr2, "application/json", hr2Key).statusCode()).isEqualTo(202);
        HttpResponse<String> conflict = post(http, corrected, "application/json");

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        Problem problem = JSON.readValue(conflict.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("https://credpipe.io/problems/conflicting-event");
        assertThat(problem.errors()).extracting(Problem.FieldError::pointer).containsExactly("/result");
        assertThat(meters.get("credpipe.ingest.rejections").tag("reason", "conflicting_duplicate").counter().count())
                .isEqualTo(conflictsBefore + 1);
        awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> eventId.equals(r.key()) && r.value().reason() == RejectionReason.CONFLICTING_DUPLICATE);

        try (IngestService restarted = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS))) {
            awaitReady(restarted);
            Javalin server = server(restarted);
            try {
                assertThat(post(server, fromHr1, "application/json").statusCode()).isEqualTo(200);
                assertThat(post(server, fromHr2, "application/json", hr2Key).statusCode()).isEqualTo(200);
                assertThat(post(server, corrected, "application/json").statusCode()).isEqualTo(409);
            } finally {
                server.stop();
            }
        }
        assertThat(count(Topics.ASSESSMENTS, r -> eventId.equals(r.value().eventId()))).isEqualTo(2);
    }

    /** Issue 16.4: what ingest can know is checked before the answer, and the refusal recorded, not lost after a 202. */
    @Test
    void anUnknownStatementIs422AndRecordedBeforeTheAnswer() throws Exception {
        String eventId = "hr1-" + UUID.randomUUID();
        String body = edit(DESIGN_EXAMPLE, e -> { e.put("eventId", eventId); e.put("statementId", "51-8091.00@v.26.05/emerging/99"); });

        HttpResponse<String> response = post(http, body, "application/json");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        Problem problem = JSON.readValue(response.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("https://credpipe.io/problems/unknown-statement");
        assertThat(problem.errors()).extracting(Problem.FieldError::pointer).containsExactly("/statementId");
        ConsumerRecord<String, Rejection> rejected = awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> eventId.equals(r.key()));
        assertThat(rejected.value().reason()).isEqualTo(RejectionReason.UNKNOWN_STATEMENT);
        assertThat(rejected.value().stage()).isEqualTo("ingest");
        assertThat(rejected.value().original()).isEqualTo(body);
        assertThat(count(Topics.ASSESSMENTS, r -> eventId.equals(r.value().eventId()))).isZero();
    }

    /** Issue 16.4: a source retracts only what it sent about that operator; what another instance just took counts. */
    @Test
    void aRetractionOfAnotherSourcesEventIs422AndOfAnEventJustTakenElsewhereIsAccepted() throws Exception {
        String hr2 = "hr2-" + UUID.randomUUID().toString().substring(0, 8);
        String hr2Key = keys.create(hr2, false).key();
        String target = "e-" + UUID.randomUUID();
        assertThat(post(http, edit(DESIGN_EXAMPLE, e -> e.put("eventId", target)), "application/json").statusCode()).isEqualTo(202);

        String foreign = edit(AssessmentValidatorTest.RETRACTION, e -> {
            e.put("eventId", "r-" + UUID.randomUUID());
            e.put("source", hr2);
            e.put("retracts", target);
        });
        HttpResponse<String> refused = post(http, foreign, "application/json", hr2Key);
        assertThat(refused.statusCode()).isEqualTo(422);
        Problem problem = JSON.readValue(refused.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("https://credpipe.io/problems/unknown-retraction-target");
        assertThat(problem.errors()).extracting(Problem.FieldError::pointer).containsExactly("/retracts");
        awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> r.value().reason() == RejectionReason.UNKNOWN_RETRACTION_TARGET
                && r.value().original().contains(target));

        try (IngestService other = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS))) {
            awaitReady(other);
            Javalin otherServer = server(other);
            try {
                String fresh = "e-" + UUID.randomUUID();
                assertThat(post(http, edit(DESIGN_EXAMPLE, e -> e.put("eventId", fresh)), "application/json").statusCode()).isEqualTo(202);
                String retraction = edit(AssessmentValidatorTest.RETRACTION, e -> {
                    e.put("eventId", "r-" + UUID.randomUUID());
                    e.put("retracts", fresh);
                });
                assertThat(post(otherServer, retraction, "application/json").statusCode()).isEqualTo(202);
            } finally {
                otherServer.stop();
            }
        }
    }

    /** Issue 19: a body that ends before its declared Content-Length is the client's error, not a 500. */
    @Test
    void aBodyShorterThanItsContentLengthIs400() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), http.port())) {
            socket.setSoTimeout(20_000);
            String request = "POST " + IngestService.ASSESSMENTS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer " + hr1Key + "\r\n"
                    + "Content-Length: 1000\r\nConnection: close\r\n\r\n{\"eventId\":\"short\"}";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.shutdownOutput();

            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).containsIgnoringCase("content-type: application/problem+json").contains("incomplete-body");
        }
    }

    @Test
    void aBatchIsTakenLineByLine() throws Exception {
        String run = UUID.randomUUID().toString();
        String ndjson = String.join("\n",
                edit(DESIGN_EXAMPLE, e -> e.put("eventId", run + "-1")),
                "not json",
                edit(DESIGN_EXAMPLE, e -> { e.put("eventId", run + "-3"); e.put("occurredAt", "yesterday"); }),
                "",
                edit(DESIGN_EXAMPLE, e -> e.put("eventId", run + "-1")),
                edit(DESIGN_EXAMPLE, e -> e.put("eventId", run + "-6"))) + "\n";

        HttpResponse<String> response = post(http, ndjson, "application/x-ndjson");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("accepted").asInt()).isEqualTo(2);
        assertThat(report.get("duplicate").asInt()).isEqualTo(1);
        assertThat(report.get("rejected").asInt()).isEqualTo(2);
        assertThat(report.get("lines").findValuesAsText("line")).containsExactly("1", "2", "3", "5", "6");
        assertThat(report.get("lines").findValuesAsText("status")).containsExactly("accepted", "rejected", "rejected", "duplicate", "accepted");
        assertThat(report.get("lines").get(1).get("reason").asText()).isEqualTo("malformed_json");
        assertThat(report.get("lines").get(2).get("errors").get(0).get("pointer").asText()).isEqualTo("/occurredAt");
        awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> (run + "-3").equals(r.key()));
        assertThat(count(Topics.ASSESSMENTS, r -> r.value().eventId().startsWith(run))).isEqualTo(2);
        assertThat(meters.get("credpipe.ingest.rejections").tag("reason", "malformed_json").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("credpipe.ingest.duplicates").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("credpipe.ingest.requests").tag("status", "202").timer().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void limitsAre413And429WithRetryAfter(@TempDir Path dir) throws Exception {
        ApiKeyStore store = new ApiKeyStore(dir);
        String key = store.create("hr1", false).key();
        IngestConfig.Limits limits = new IngestConfig.Limits(4096, 3, 1, 3);
        try (IngestService limited = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), store, limits))) {
            awaitReady(limited);
            Javalin server = server(limited);
            try {
                String run = UUID.randomUUID().toString();
                String fourLines = String.join("\n", event(run + "-1"), event(run + "-2"), event(run + "-3"), event(run + "-4"));
                HttpResponse<String> tooManyLines = post(server, fourLines, "application/x-ndjson", key);
                assertThat(tooManyLines.statusCode()).isEqualTo(413);
                assertThat(JSON.readTree(tooManyLines.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/too-many-lines");

                HttpResponse<String> tooLarge = post(server, "x".repeat(5000), "application/x-ndjson", key);
                assertThat(tooLarge.statusCode()).isEqualTo(413);
                assertThat(JSON.readTree(tooLarge.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/body-too-large");

                String threeLines = String.join("\n", event(run + "-1"), event(run + "-2"), event(run + "-3"));
                assertThat(post(server, threeLines, "application/x-ndjson", key).statusCode()).isEqualTo(202);
                HttpResponse<String> tooFast = post(server, event(run + "-5"), "application/json", key);
                assertThat(tooFast.statusCode()).isEqualTo(429);
                assertThat(tooFast.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(JSON.readTree(tooFast.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/rate-limited");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void aCsvFileWithBadRowsIsImportedRowByRow() throws Exception {
        String run = UUID.randomUUID().toString();
        String csv = CsvAssessmentsTest.HEADER + "\n"
                + run + "-1,assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E1,Dana,,51-8091.00@v.26.05/emerging/1,pass,acme:S77,\n"
                + run + "-2,assessment.recorded,2026-05-20T09:30:00Z,hr1,,Dana,,51-8091.00@v.26.05/emerging/1,pass,acme:S77,\n"
                + run + "-3,assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E1,,,51-8091.00@v.26.05/emerging/2,maybe,acme:S77,\n"
                + run + "-1,assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E1,Dana,,51-8091.00@v.26.05/emerging/1,pass,acme:S77,\n";

        HttpRequest request = HttpRequest.newBuilder(uri(http, IngestService.IMPORT_PATH))
                .header("Content-Type", "text/csv; charset=utf-8").header("Authorization", "Bearer " + hr1Key)
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("lines").findValuesAsText("status")).containsExactly("accepted", "rejected", "rejected", "duplicate");
        assertThat(report.get("lines").findValuesAsText("line")).containsExactly("2", "3", "4", "5");
        assertThat(report.get("lines").get(1).get("reason").asText()).isEqualTo("missing_operator");
        assertThat(report.get("lines").get(1).get("errors").get(0).get("pointer").asText()).isEqualTo("/operator/id");
        assertThat(report.get("lines").get(1).get("errors").get(0).get("detail").asText()).startsWith("column operatorId:");
        assertThat(report.get("lines").get(2).get("errors").get(0).get("pointer").asText()).isEqualTo("/result");
        ConsumerRecord<String, Rejection> rejected = awaitRecord(Topics.ASSESSMENTS_REJECTED, r -> (run + "-3").equals(r.key()));
        assertThat(rejected.value().original()).startsWith(run + "-3,assessment.recorded,");
        assertThat(count(Topics.ASSESSMENTS, r -> r.value().eventId().startsWith(run))).isEqualTo(1);
    }

    @Test
    void aCsvWithAnUnknownColumnIsRefusedWhole() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(http, IngestService.IMPORT_PATH))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + hr1Key)
                .POST(HttpRequest.BodyPublishers.ofString("eventId,employee\nx,y\n")).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/invalid-csv");
    }

    @Test
    void frameworksArePublishedByAdminsOnlyAndTheirStatementsNeverChange() throws Exception {
        String adminKey = keys.create("admin-" + UUID.randomUUID().toString().substring(0, 8), true).key();
        String version = "v." + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode upload = (ObjectNode) JSON.readTree(SeedFrameworks.class.getResourceAsStream("51-8091.00.json"));
        ((ObjectNode) upload.get("framework")).put("version", version);
        String id = "51-8091.00@" + version;
        String body = JSON.writeValueAsString(upload);

        assertThat(postTo(IngestService.FRAMEWORKS_PATH, body, "application/json", null).statusCode()).isEqualTo(401);
        HttpResponse<String> notAdmin = postTo(IngestService.FRAMEWORKS_PATH, body, "application/json", hr1Key);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(notAdmin.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/forbidden");

        HttpResponse<String> created = postTo(IngestService.FRAMEWORKS_PATH, body, "application/json", adminKey);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/frameworks/" + id);
        assertThat(awaitRecord(Topics.FRAMEWORKS, r -> id.equals(r.key())).value().version()).isEqualTo(version);
        assertThat(JSON.readTree(postTo(IngestService.FRAMEWORKS_PATH, body, "application/json", adminKey).body()).get("status").asText())
                .isEqualTo("unchanged");

        ObjectNode reworded = upload.deepCopy();
        ArrayNode emerging = (ArrayNode) reworded.at("/framework/levels/emerging/statements");
        emerging.set(0, emerging.get(0).asText() + " Revised.");
        HttpResponse<String> conflict = postTo(IngestService.FRAMEWORKS_PATH, JSON.writeValueAsString(reworded), "application/json", adminKey);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).get("detail").asText()).contains(id + "/emerging/1");

        ObjectNode withPolicy = upload.deepCopy();
        withPolicy.putObject("levelPolicy").put("id", "plant").put("version", 2).put("thresholdPercent", 80);
        HttpResponse<String> policed = postTo(IngestService.FRAMEWORKS_PATH, JSON.writeValueAsString(withPolicy), "application/json", adminKey);
        assertThat(policed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(policed.body()).get("status").asText()).isEqualTo("updated");
        assertThat(awaitRecord(Topics.FRAMEWORKS, r -> id.equals(r.key()) && r.value().levelPolicy() != null).value().levelPolicy())
                .isEqualTo(new LevelPolicy("plant", 2, 80, true, null));
        ((ObjectNode) withPolicy.get("levelPolicy")).put("version", 1);
        HttpResponse<String> lowered = postTo(IngestService.FRAMEWORKS_PATH, JSON.writeValueAsString(withPolicy), "application/json", adminKey);
        assertThat(lowered.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(lowered.body()).get("detail").asText()).contains("levelPolicy version 1");
        ((ObjectNode) withPolicy.get("levelPolicy")).put("version", 3).put("treshold", 80);
        HttpResponse<String> misspelt = postTo(IngestService.FRAMEWORKS_PATH, JSON.writeValueAsString(withPolicy), "application/json", adminKey);
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(misspelt.body()).at("/errors/0/pointer").asText()).isEqualTo("/levelPolicy/treshold");

        HttpResponse<String> invalid = postTo(IngestService.FRAMEWORKS_PATH, "{\"occupation\":{}}", "application/json", adminKey);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/invalid-framework");

        HttpResponse<String> one = get("/v1/frameworks/" + id);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).get("framework")).isEqualTo(upload.get("framework"));
        assertThat(JSON.readTree(one.body()).get("occupation")).isEqualTo(upload.get("occupation"));
        HttpResponse<String> list = get("/v1/frameworks");
        assertThat(JSON.readTree(list.body()).findValuesAsText("id")).contains(id);
        // Issue 16.6: paged by limit and the opaque cursor of the Link header's next page.
        List<String> all = JSON.readTree(list.body()).findValuesAsText("id");
        List<String> walked = new java.util.ArrayList<>();
        String page = "/v1/frameworks?limit=1";
        while (page != null) {
            HttpResponse<String> onePage = get(page);
            assertThat(onePage.statusCode()).isEqualTo(200);
            walked.addAll(JSON.readTree(onePage.body()).findValuesAsText("id"));
            page = onePage.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
        }
        assertThat(walked).isEqualTo(all).hasSizeGreaterThan(2);
        HttpResponse<String> unknown = get("/v1/frameworks/00-0000.00@v.0");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/unknown-framework");
    }

    private static HttpResponse<String> postTo(String path, String body, String contentType, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(http, path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(http, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String eventId) {
        return edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId));
    }

    /** Counts matching records on the whole topic, reading to its current end. */
    static <V> int count(Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> wanted) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int count = 0;
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static HttpResponse<String> post(Javalin server, String body, String contentType) throws Exception {
        return post(server, body, contentType, hr1Key);
    }

    static HttpResponse<String> post(Javalin server, String body, String contentType, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, IngestService.ASSESSMENTS_PATH))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(Javalin server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Reads the whole topic from the beginning until a record matches. */
    static <V> ConsumerRecord<String, V> awaitRecord(Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> wanted) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record)) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic.name() + " within " + KafkaBroker.PATIENCE);
    }
}
