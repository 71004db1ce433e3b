package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.ingest.intake.LogPosition;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * What the topics say about one event, for {@code GET /v1/assessments/{source}/{eventId}}: the
 * event at its place in {@code assessments}, its rejections on {@code assessments-rejected}, and
 * the decisions it caused on {@code achievements}. Read from the topics with short-lived consumers
 * and no consumer group, so any ingest instance answers the same.
 *
 * <p>A keyed topic is read only on the partition its key hashes to (the default partitioner, as
 * every producer of these topics uses): rejections by the event id, decisions by the operator id.
 * That partition is read from its beginning up to its end as found at the start of the lookup, so
 * a lookup costs a scan of one partition of each topic: fine for looking up events one at a time,
 * not for bulk use (the batch receipts are for that).
 */
public final class EventTrail {

    /** How long one partition may be read before the lookup is given up. */
    private static final Duration SCAN_LIMIT = Duration.ofSeconds(20);

    private final KafkaClientSettings kafka;
    private final ObjectMapper json = Json.newMapper();

    /**
     * @param kafka the cluster and its client settings
     */
    public EventTrail(KafkaClientSettings kafka) {
        this.kafka = kafka;
    }

    /** A record found, with where it is. */
    public record Found<V>(V value, int partition, long offset) {}

    /**
     * The event at a place in {@code assessments}.
     *
     * @param at where it is
     * @return the event, if that record is one
     */
    public Optional<AssessmentEvent> event(LogPosition at) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(Topics.ASSESSMENTS.name(), at.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, at.offset());
            long deadline = System.nanoTime() + SCAN_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == at.offset()) {
                        return Optional.ofNullable(read(Topics.ASSESSMENTS, record));
                    }
                    if (record.offset() > at.offset()) {
                        return Optional.empty();
                    }
                }
            }
            throw new IllegalStateException("the record at " + partition + "@" + at.offset() + " could not be read in time");
        }
    }

    /**
     * The rejections of event {@code eventId} of {@code source}, by any stage.
     *
     * @param source  the source
     * @param eventId the event id
     * @return the rejections, oldest first
     */
    public List<Found<Rejection>> rejections(String source, String eventId) {
        return scan(Topics.ASSESSMENTS_REJECTED, eventId, (key, rejection) -> eventId.equals(key) && source.equals(sourceOf(rejection)));
    }

    /**
     * The decisions an event of an operator caused.
     *
     * @param operatorId the operator
     * @param eventId    the event id they name as their cause
     * @return the decisions, oldest first
     */
    public List<Found<LevelDecision>> decisions(String operatorId, String eventId) {
        return scan(Topics.ACHIEVEMENTS, operatorId,
                (key, decision) -> operatorId.equals(key) && eventId.equals(decision.causedBy()));
    }

    /** The source named by a rejection's original record, when it is readable JSON. */
    private String sourceOf(Rejection rejection) {
        if (rejection.original() == null) {
            return null;
        }
        try {
            JsonNode original = json.readTree(rejection.original());
            return original.path("source").isTextual() ? original.get("source").asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private <V> List<Found<V>> scan(Topic<String, V> topic, String key, BiPredicate<String, V> wanted) {
        List<Found<V>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            int partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).size();
            byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
            TopicPartition partition = new TopicPartition(topic.name(), Utils.toPositive(Utils.murmur2(keyBytes)) % partitions);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
            long deadline = System.nanoTime() + SCAN_LIMIT.toNanos();
            while (consumer.position(partition, Duration.ofSeconds(10)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(partition + " could not be read in " + SCAN_LIMIT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String recordKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (!key.equals(recordKey)) {
                        continue;
                    }
                    V value = read(topic, record);
                    if (value != null && wanted.test(recordKey, value)) {
                        found.add(new Found<>(value, record.partition(), record.offset()));
                    }
                }
            }
        }
        return found;
    }

    private static <V> V read(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        try {
            return record.value() == null ? null : topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (SerializationException | IllegalArgumentException e) {
            return null;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-ingest-event-trail")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
