package io.credpipe.ingest.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.credpipe.ingest.intake.EventIdIndex;
import io.credpipe.topics.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link EventIdIndex} from the {@code assessments} topic, so that a duplicate is
 * recognised across restarts: reads every partition from the beginning, is {@link #ready()} once it
 * reached the end offsets it found at start, then keeps following the topic, which also brings in
 * what other ingest instances write.
 *
 * <p>Read by a {@link TopicFollower}: no consumer group, no offset to commit, because the index is
 * rebuilt at every start (about 4 s per million events at measured consumer rates,
 * reading only the {@link AssessmentPublisher#EVENT_ID_HEADER} header of records that have it).
 */
public final class SeenEventsLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SeenEventsLoader.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final EventIdIndex index;
    private final TopicFollower follower;
    private final long started = System.nanoTime();

    /**
     * Creates the loader; nothing is read before {@link #start()}.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param index            the index to fill
     */
    public SeenEventsLoader(String bootstrapServers, EventIdIndex index) {
        this.index = index;
        this.follower = new TopicFollower(bootstrapServers, Topics.ASSESSMENTS.name(), "credpipe-ingest-seen-events",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), this::apply,
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
        String eventId = eventId(record);
        if (eventId != null) {
            index.add(eventId);
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
        follower.close();
    }
}
