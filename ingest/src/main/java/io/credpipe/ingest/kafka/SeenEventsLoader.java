package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.ingest.intake.EventFingerprint;
import io.credpipe.ingest.intake.EventIdIndex;
import io.credpipe.ingest.intake.EventKey;
import io.credpipe.ingest.intake.LogPosition;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link EventIdIndex} from the {@code assessments} topic, so that a duplicate (same
 * source, event id and content) and a conflict (same source and id, other content) are recognised
 * across restarts: reads every partition from the beginning, is {@link #ready()} once it
 * reached the end offsets it found at start, then keeps following the topic, which also brings in
 * what other ingest instances write.
 *
 * <p>Read by a {@link TopicFollower}: no consumer group, no offset to commit, because the index is
 * rebuilt at every start. Each value is read whole (the index keeps the source and a fingerprint of
 * the content, which the {@link AssessmentPublisher#EVENT_ID_HEADER} header alone cannot give), so a
 * restart reads the topic at the rate of the JSON serde rather than of headers.
 */
public final class SeenEventsLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SeenEventsLoader.class);

    private final EventIdIndex index;
    private final TopicFollower follower;
    private final long started = System.nanoTime();

    /**
     * Creates the loader; nothing is read before {@link #start()}.
     *
     * @param kafka the Kafka cluster and its client settings
     * @param index            the index to fill
     */
    public SeenEventsLoader(KafkaClientSettings kafka, EventIdIndex index) {
        this.index = index;
        this.follower = new TopicFollower(kafka, Topics.ASSESSMENTS.name(), "credpipe-ingest-seen-events",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), this::apply,
                () -> LOG.info("ingest knows {} event ids from {} ({} ms)", index.size(), Topics.ASSESSMENTS.name(),
                        (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * Starts reading in the background.
     *
     * @return this loader
     */
    public SeenEventsLoader start() {
        follower.start();
        return this;
    }

    /** Whether every event id that was in the topic at start is in the index. */
    public boolean ready() {
        return follower.ready();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        EventKey claimed = keyOf(record.headers());
        if (claimed != null && index.position(claimed).isPresent()) {
            // Most records are this instance's own, recorded with their place in the log when the
            // broker acknowledged them; adding a known key keeps its first fingerprint and position,
            // so parsing the value again would change nothing.
            return;
        }
        AssessmentEvent event = event(record);
        if (event != null) {
            index.add(EventKey.of(event), EventFingerprint.of(event), new LogPosition(record.partition(), record.offset()));
        }
    }

    /**
     * The idempotency key the record's headers name ({@link AssessmentPublisher#EVENT_ID_HEADER} and
     * {@link AssessmentPublisher#SOURCE_HEADER}), or {@code null} when either is missing, as on
     * records written before the source header existed.
     */
    static EventKey keyOf(Headers headers) {
        Header eventId = headers.lastHeader(AssessmentPublisher.EVENT_ID_HEADER);
        Header source = headers.lastHeader(AssessmentPublisher.SOURCE_HEADER);
        if (eventId == null || source == null || eventId.value() == null || source.value() == null) {
            return null;
        }
        return new EventKey(new String(source.value(), StandardCharsets.UTF_8), new String(eventId.value(), StandardCharsets.UTF_8));
    }

    /**
     * The event of a record, read with the catalogue's serde, or {@code null} when the value is not
     * an event (nothing ingest wrote is; such a record cannot be a duplicate of anything).
     */
    static AssessmentEvent event(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            AssessmentEvent event = Topics.ASSESSMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return event == null || event.source() == null || event.eventId() == null ? null : event;
        } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
            LOG.debug("a record on {} is not an assessment event: {}", record.topic(), e.getMessage());
            return null;
        }
    }

    /**
     * Waits until every event published before this call has been read.
     *
     * @param patience how long to wait at most
     * @return whether it got there within {@code patience}
     */
    public boolean catchUp(Duration patience) {
        return follower.catchUp(patience);
    }

    /** Stops following the topic. */
    @Override
    public void close() {
        follower.close();
    }
}
