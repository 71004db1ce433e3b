package io.credpipe.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.credpipe.model.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link EventIdIndex} from the {@code assessments} topic, so that a duplicate is
 * recognised across restarts: reads every partition from the beginning, is {@link #ready()} once it
 * reached the end offsets it found at start, then keeps following the topic, which also brings in
 * what other ingest instances write.
 *
 * <p>No consumer group: every instance reads everything, and there is no offset to commit because
 * the index is rebuilt at every start (about 4 s per million events at measured consumer rates,
 * reading only the {@link AssessmentPublisher#EVENT_ID_HEADER} header of records that have it).
 */
final class SeenEventsLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SeenEventsLoader.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventIdIndex index;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    SeenEventsLoader(String bootstrapServers, EventIdIndex index) {
        this.index = index;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-ingest-seen-events",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "credpipe-ingest-seen-events");
        thread.setDaemon(true);
    }

    /** Starts reading in the background. */
    SeenEventsLoader start() {
        thread.start();
        return this;
    }

    /** Whether every event id that was in the topic at start is in the index. */
    boolean ready() {
        return ready.get();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && !closed.get()) {
                partitions = consumer.partitionsFor(Topics.ASSESSMENTS.name(), Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMinutes(1));
            long started = System.nanoTime();
            while (!closed.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String eventId = eventId(record);
                    if (eventId != null) {
                        index.add(eventId);
                    }
                }
                if (!ready.get() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    ready.set(true);
                    LOG.info("ingest knows {} event ids from {} ({} ms)", index.size(), Topics.ASSESSMENTS.name(),
                            (System.nanoTime() - started) / 1_000_000);
                }
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed.get()) {
                LOG.error("ingest stopped reading {}; duplicates are no longer recognised and requests are refused", Topics.ASSESSMENTS.name(), e);
                ready.set(false);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The event id from the header, or from the value of records written before the header existed. */
    static String eventId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(AssessmentPublisher.EVENT_ID_HEADER);
        if (header != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return record.value() == null ? null : eventIdField(record.value());
    }

    /** The top-level {@code eventId} string of a JSON object, read by streaming rather than building a tree. */
    static String eventIdField(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("eventId".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops following the topic. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(Duration.ZERO);
                return;
            }
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
