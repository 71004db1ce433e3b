package io.credpipe.ingest;

import static io.credpipe.ingest.intake.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.intake.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/assessments/{source}/{eventId}} on a real broker: the event's trail, from the topics. */
@ExtendWith(RealKafka.class)
class EventLookupIT {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anEventsTrailIsReadFromTheTopics(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        IngestIT.publishSeedFrameworks(kafka);
        ApiKeyStore keys = new ApiKeyStore(dir);
        String hr1 = keys.create("hr1", false).key();
        String hr2Source = "hr2-" + UUID.randomUUID().toString().substring(0, 8);
        String hr2 = keys.create(hr2Source, false).key();
        String admin = keys.create("admin", true).key();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String operatorId = "acme:" + run;
        String accepted = run + "-e1";
        String refused = run + "-e2";
        try (IngestService ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS))) {
            IngestIT.awaitReady(ingest);
            Javalin http = IngestIT.server(ingest);
            try {
                String batch = edit(DESIGN_EXAMPLE, e -> {
                    e.put("eventId", accepted);
                    ((ObjectNode) e.get("operator")).put("id", operatorId);
                }) + "\n" + edit(DESIGN_EXAMPLE, e -> {
                    e.put("eventId", refused);
                    e.put("statementId", "51-8091.00@v.26.05/advanced/42");
                }) + "\n";
                JsonNode answer = JSON.readTree(IngestIT.post(http, batch, IngestService.NDJSON, hr1).body());
                JsonNode line = answer.get("lines").get(0);

                JsonNode placed = lookUp(http, "hr1", accepted, hr1);
                assertThat(placed.get("status").asText()).isEqualTo("accepted");
                assertThat(placed.at("/accepted/topic").asText()).isEqualTo("assessments");
                assertThat(placed.at("/accepted/partition").asInt()).isEqualTo(line.get("partition").asInt());
                assertThat(placed.at("/accepted/offset").asLong()).isEqualTo(line.get("offset").asLong());
                assertThat(placed.at("/accepted/event/operator/id").asText()).isEqualTo(operatorId);
                assertThat(placed.get("decisions")).isEmpty();

                // The evaluator's decision caused by the event, on the operator's partition of achievements.
                LevelDecision achieved = new LevelAchieved(new Operator(operatorId, null, null),
                        FrameworkId.parse("51-8091.00@v.26.05").orElseThrow(), Level.EMERGING, 1, List.of(),
                        Instant.parse("2026-05-20T09:30:00Z"), null, LevelPolicy.DEFAULT.ref(), accepted);
                try (KafkaProducer<String, LevelDecision> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
                    producer.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operatorId, achieved)).get();
                }
                JsonNode decided = lookUp(http, "hr1", accepted, hr1);
                assertThat(decided.get("status").asText()).isEqualTo("decided");
                assertThat(decided.at("/decisions/0/decision/type").asText()).isEqualTo("level.achieved");
                assertThat(decided.at("/decisions/0/decision/policy/id").asText()).isEqualTo(LevelPolicy.DEFAULT.ref().id());
                assertThat(decided.at("/credentials/0/change").asText()).isEqualTo("issued");
                assertThat(decided.at("/credentials/0/level").asText()).isEqualTo("emerging");
                assertThat(lookUp(http, "hr1", accepted, admin).get("status").asText()).as("an administrator reads any").isEqualTo("decided");

                JsonNode rejected = lookUp(http, "hr1", refused, hr1);
                assertThat(rejected.get("status").asText()).isEqualTo("rejected");
                assertThat(rejected.has("accepted")).isFalse();
                assertThat(rejected.at("/rejections/0/stage").asText()).isEqualTo("ingest");
                assertThat(rejected.at("/rejections/0/reason").asText()).isEqualTo("unknown_statement");
                assertThat(rejected.at("/rejections/0/pointer").asText()).isEqualTo("/statementId");

                // The same id from another source is another event: hr2's lookup sees only its own.
                assertThat(get(http, "/v1/assessments/" + hr2Source + "/" + accepted, hr2).statusCode()).isEqualTo(404);
                assertThat(IngestIT.post(http, edit(DESIGN_EXAMPLE, e -> {
                    e.put("eventId", accepted);
                    e.put("source", hr2Source);
                }), "application/json", hr2).statusCode()).isEqualTo(202);
                JsonNode theirs = lookUp(http, hr2Source, accepted, hr2);
                assertThat(theirs.at("/accepted/event/source").asText()).isEqualTo(hr2Source);
                assertThat(theirs.at("/accepted/event/operator/id").asText()).isEqualTo("acme:E1234");

                assertThat(get(http, "/v1/assessments/hr1/" + accepted, hr2).statusCode()).as("another source's events").isEqualTo(403);
                assertThat(get(http, "/v1/assessments/hr1/" + accepted, null).statusCode()).isEqualTo(401);
            } finally {
                http.stop();
            }
        }
    }

    private static JsonNode lookUp(Javalin http, String source, String eventId, String key) throws Exception {
        HttpResponse<String> response = get(http, "/v1/assessments/" + source + "/" + eventId, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(Javalin http, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(IngestIT.uri(http, path)).timeout(Duration.ofSeconds(60)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
