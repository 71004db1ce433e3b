package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.ingest.intake.EventSink;
import io.credpipe.ingest.intake.RecordTooLarge;
import io.credpipe.ingest.intake.LogPosition;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces accepted assessment events to {@code assessments}, keyed by operator id, and rejected
 * ones to {@code assessments-rejected}, keyed by event id, so that nothing an HR system sent is
 * lost.
 *
 * <p>One idempotent producer ({@code enable.idempotence=true}, {@code acks=all}) serves both
 * topics: a retried send is written once, and an acknowledgement means every in-sync replica has
 * the record. Records are serialised with the topic catalogue's serdes ({@link Topics}), so they
 * read back exactly as every other service reads them.
 *
 * <p>Thread-safe, like the {@link KafkaProducer} it wraps.
 */
public final class AssessmentPublisher implements EventSink, AutoCloseable {

    /**
     * The record header carrying the event id on {@code assessments}: ingest rebuilds its index of
     * seen ids from headers alone, without parsing every value.
     */
    public static final String EVENT_ID_HEADER = "credpipe-event-id";

    /**
     * The largest record (key, value and headers) sent: under both the producer's
     * {@code max.request.size} and a broker's default {@code message.max.bytes} (1 MiB each), with
     * room for the batch's own framing. Larger records fail with {@link RecordTooLarge} before
     * anything is sent, instead of with Kafka's {@code RecordTooLargeException} after.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    /** The producer's {@code max.request.size}, Kafka's default, stated because the check above relies on it. */
    static final int MAX_REQUEST_BYTES = 1024 * 1024;

    /**
     * The record header carrying the event's source on {@code assessments}: with the event id it
     * names the event's idempotency key, so that ingest's own follower can pass over a record whose
     * key it already recorded without parsing the value ({@link SeenEventsLoader}).
     */
    public static final String SOURCE_HEADER = "credpipe-source";

    /** How long {@link #close()} waits for records still in flight. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;

    /**
     * Creates a publisher with its own producer.
     *
     * @param kafka            the Kafka cluster and its client settings
     * @param maxBlock         the longest a send may block, e.g. waiting for metadata of an
     *                         unreachable cluster; a request must not wait longer than it will
     *                         wait for the acknowledgement
     */
    public AssessmentPublisher(KafkaClientSettings kafka, Duration maxBlock) {
        this(new KafkaProducer<>(producerConfig(kafka, maxBlock), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    AssessmentPublisher(Producer<byte[], byte[]> producer) {
        this.producer = Objects.requireNonNull(producer, "producer");
    }

    /** The producer settings: idempotent, acknowledged by all in-sync replicas. */
    public static Map<String, Object> producerConfig(String bootstrapServers, Duration maxBlock) {
        return producerConfig(KafkaClientSettings.plaintext(bootstrapServers), maxBlock);
    }

    /** The producer settings on {@code kafka}: idempotent, acknowledged by all in-sync replicas. */
    public static Map<String, Object> producerConfig(KafkaClientSettings kafka, Duration maxBlock) {
        return kafka.client(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis(),
                // Batches arrive thousands of events at a time: larger producer batches carry them in
                // fewer requests (KAFKA.md measured 2-2.5x the default rate); 10 ms is small next to
                // the wait for acks=all a request has anyway.
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                ProducerConfig.CLIENT_ID_CONFIG, "credpipe-ingest"));
    }

    /**
     * Sends a valid event to {@code assessments}, keyed by its operator id (DESIGN.md: one
     * operator's history stays ordered on one partition).
     *
     * @param event the event
     * @return completes with the broker's acknowledgement, or exceptionally if the record could
     *     not be written
     */
    @Override
    public CompletableFuture<LogPosition> publish(AssessmentEvent event) {
        return send(Topics.ASSESSMENTS, event.operatorId(), event, event.eventId(), event.source())
                .thenApply(metadata -> new LogPosition(metadata.partition(), metadata.offset()));
    }

    /**
     * Sends a rejection to {@code assessments-rejected}, keyed by the rejected event's id, or with
     * no key when the id could not be read.
     *
     * @param rejection the rejection, with the record as received
     * @return completes with the broker's acknowledgement, or exceptionally if the record could
     *     not be written
     */
    @Override
    public CompletableFuture<RecordMetadata> publishRejection(Rejection rejection) {
        return send(Topics.ASSESSMENTS_REJECTED, rejection.eventId(), rejection, null, null);
    }

    /**
     * Sends a framework to the compacted {@code frameworks} topic, keyed by its id, in the LER
     * export format the catalogue's serde writes.
     *
     * @param framework the framework
     * @return completes with the broker's acknowledgement, or exceptionally if it was not written
     */
    public CompletableFuture<RecordMetadata> publishFramework(Framework framework) {
        return send(Topics.FRAMEWORKS, framework.id().toString(), framework, null, null);
    }

    private <V> CompletableFuture<RecordMetadata> send(Topic<String, V> topic, String key, V value, String eventId,
            String source) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            byte[] keyBytes = key == null ? null : topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(), keyBytes, valueBytes);
            if (eventId != null) {
                record.headers().add(EVENT_ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8));
            }
            if (source != null) {
                record.headers().add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
            }
            long size = sizeOf(record);
            if (size > MAX_RECORD_BYTES) {
                acknowledged.completeExceptionally(new RecordTooLarge(size, MAX_RECORD_BYTES));
                return acknowledged;
            }
            producer.send(record, (metadata, error) -> {
                if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
                    // A cluster whose message.max.bytes is below ours refused it: the input's fault, not an outage.
                    acknowledged.completeExceptionally(new RecordTooLarge(size, -1));
                } else if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (KafkaException e) {
            // send() throws instead of failing the future for some errors, e.g. a closed producer.
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    private static long sizeOf(ProducerRecord<byte[], byte[]> record) {
        long size = (record.key() == null ? 0 : record.key().length) + record.value().length;
        for (Header header : record.headers()) {
            size += header.key().length() + header.value().length;
        }
        return size;
    }

    /** Sends what is still buffered, waiting at most {@link #CLOSE_TIMEOUT}, and releases the producer. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
