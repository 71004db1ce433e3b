package io.credpipe.ingest;

import static io.credpipe.ingest.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.model.topic.Topic;
import io.credpipe.model.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealKafka.class)
class IngestIT {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaBroker kafka;
    private static IngestService ingest;
    private static Javalin http;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        kafka.createTopics(Topics.ALL, 2);
        ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30)));
        http = server(ingest);
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
    private static Javalin server(IngestService service) {
        Javalin server = Javalin.create();
        server.exception(ProblemException.class, (e, ctx) -> {
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
        for (String contentType : List.of("text/plain", "application/x-ndjson", "application/json; charset=ISO-8859-1")) {
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
    void unreachableKafkaIsA503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (IngestService down = new IngestService(new IngestConfig("127.0.0.1:" + closedPort, Duration.ofSeconds(1)))) {
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

    private static HttpResponse<String> post(Javalin server, String body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, IngestService.ASSESSMENTS_PATH))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(Javalin server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Reads the whole topic from the beginning until a record matches. */
    private static <V> ConsumerRecord<String, V> awaitRecord(Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> wanted) {
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
