package io.credpipe.ingest;

import static io.credpipe.ingest.intake.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.intake.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.5 on a real broker: a batch's receipt follows the committed positions of the stages'
 * consumer groups. The stages are played by plain consumer groups committing offsets, which is all
 * the receipt reads of them; the decisions they "make" are written in a transaction, as the
 * evaluator writes them, so that the issuer's position sits before a commit marker.
 */
@ExtendWith(RealKafka.class)
class BatchReceiptIT {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aBatchIsFinishedOnceTheEvaluatorAndTheIssuerHavePassedIt(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        IngestIT.publishSeedFrameworks(kafka);
        ApiKeyStore keys = new ApiKeyStore(dir);
        String key = keys.create("hr1", false).key();
        String evaluator = "evaluator-" + UUID.randomUUID();
        String issuer = "issuer-" + UUID.randomUUID();
        try (IngestService ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys,
                IngestConfig.Limits.DEFAULTS).withStages(new IngestConfig.Stages(evaluator, issuer)))) {
            IngestIT.awaitReady(ingest);
            Javalin http = IngestIT.server(ingest);
            try {
                String run = UUID.randomUUID().toString().substring(0, 8);
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    batch.append(edit(DESIGN_EXAMPLE, e -> {
                        e.put("eventId", run + "-" + n);
                        ((ObjectNode) e.get("operator")).put("id", "acme:" + run + "-" + (n % 3));
                    })).append('\n');
                }
                batch.append(edit(DESIGN_EXAMPLE, e -> { e.put("eventId", run + "-bad"); e.put("result", "maybe"); })).append('\n');

                HttpResponse<String> posted = IngestIT.post(http, batch.toString(), IngestService.NDJSON, key);

                assertThat(posted.statusCode()).isEqualTo(202);
                JsonNode answer = JSON.readTree(posted.body());
                String id = answer.get("batch").asText();
                assertThat(posted.headers().firstValue("Location")).hasValue("/v1/batches/" + id);
                Map<TopicPartition, OffsetAndMetadata> evaluated = new HashMap<>();
                for (JsonNode line : answer.get("lines")) {
                    if (line.get("status").asText().equals("accepted")) {
                        TopicPartition partition = new TopicPartition(Topics.ASSESSMENTS.name(), line.get("partition").asInt());
                        long next = line.get("offset").asLong() + 1;
                        evaluated.merge(partition, new OffsetAndMetadata(next), (a, b) -> a.offset() > b.offset() ? a : b);
                    }
                }

                JsonNode fresh = status(http, id, key);
                assertThat(fresh.get("accepted").asInt()).isEqualTo(6);
                assertThat(fresh.get("rejected").asInt()).isEqualTo(1);
                assertThat(fresh.get("processed").asInt()).isZero();
                assertThat(fresh.get("finished").asBoolean()).isFalse();

                // The evaluator decides something, then commits a position short of the batch's end: not processed.
                RecordMetadata decision = decide(kafka);
                Map<TopicPartition, OffsetAndMetadata> shortOf = new HashMap<>();
                evaluated.forEach((p, o) -> shortOf.put(p, new OffsetAndMetadata(o.offset() - 1)));
                commit(kafka, evaluator, shortOf);
                assertThat(status(http, id, key).get("finished").asBoolean()).isFalse();

                // The evaluator passes the whole batch; the issuer has not passed the decision yet.
                commit(kafka, evaluator, evaluated);
                JsonNode evaluatedStatus = status(http, id, key);
                assertThat(evaluatedStatus.get("processed").asInt()).isEqualTo(6);
                assertThat(evaluatedStatus.at("/stages/0/passed").asBoolean()).isTrue();
                assertThat(evaluatedStatus.at("/stages/1/passed").asBoolean()).isFalse();
                assertThat(evaluatedStatus.get("finished").asBoolean()).isFalse();

                // The issuer commits right after the decision: only the transaction's marker lies beyond.
                commit(kafka, issuer, Map.of(new TopicPartition(decision.topic(), decision.partition()),
                        new OffsetAndMetadata(decision.offset() + 1)));
                commitEveryOtherPartitionAtItsEnd(kafka, issuer, decision.partition());
                JsonNode finished = status(http, id, key);
                assertThat(finished.get("finished").asBoolean()).as(finished.toString()).isTrue();

                HttpResponse<String> unknown = get(http, "/v1/batches/not-a-batch", key);
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(get(http, "/v1/batches/" + id, null).statusCode()).isEqualTo(401);

                JsonNode pipeline = JSON.readTree(get(http, "/v1/pipeline", key).body());
                assertThat(pipeline.get("stages").findValuesAsText("stage")).containsExactly("evaluator", "issuer", "issuer");
                assertThat(pipeline.get("stages").findValuesAsText("group")).containsExactly(evaluator, issuer, issuer);
                JsonNode evaluatorLag = pipeline.get("stages").get(0);
                assertThat(evaluatorLag.get("topic").asText()).isEqualTo("assessments");
                for (var entry : evaluated.entrySet()) {
                    JsonNode partition = evaluatorLag.get("partitions").get(entry.getKey().partition());
                    assertThat(partition.get("committed").asLong()).isEqualTo(entry.getValue().offset());
                    assertThat(partition.get("lag").asLong()).isEqualTo(partition.get("end").asLong() - entry.getValue().offset());
                }
            } finally {
                http.stop();
            }
        }
    }

    /** A decision on achievements, written in a transaction as the evaluator writes them. */
    private static RecordMetadata decide(KafkaBroker kafka) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "batch-it-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            RecordMetadata written = producer.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(),
                    "acme:x".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8))).get();
            producer.commitTransaction();
            return written;
        }
    }

    /** The other partition of achievements holds other tests' decisions: the issuer has passed them all. */
    private static void commitEveryOtherPartitionAtItsEnd(KafkaBroker kafka, String group, int except) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, group)) {
            var partitions = consumer.partitionsFor(Topics.ACHIEVEMENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).filter(p -> p.partition() != except).toList();
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            consumer.endOffsets(partitions).forEach((p, end) -> ends.put(p, new OffsetAndMetadata(end)));
            consumer.commitSync(ends);
        }
    }

    private static void commit(KafkaBroker kafka, String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, group)) {
            consumer.commitSync(offsets);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker kafka, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static JsonNode status(Javalin http, String id, String key) throws Exception {
        HttpResponse<String> response = get(http, "/v1/batches/" + id, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(Javalin http, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(IngestIT.uri(http, path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
