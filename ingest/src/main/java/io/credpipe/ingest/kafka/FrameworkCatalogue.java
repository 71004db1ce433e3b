package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frameworks on the compacted {@code frameworks} topic, by id, kept current by a
 * {@link TopicFollower}. {@link #ready()} once it read up to the end offsets found at start.
 */
public final class FrameworkCatalogue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkCatalogue.class);

    private final Map<String, Framework> byId = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    /**
     * Creates the catalogue; nothing is read before {@link #start()}.
     *
     * @param kafka the Kafka cluster and its client settings
     */
    public FrameworkCatalogue(KafkaClientSettings kafka) {
        this.follower = new TopicFollower(kafka, Topics.FRAMEWORKS.name(), "credpipe-ingest-frameworks",
                Map.of(), this::apply, () -> { });
    }

    /**
     * Starts reading in the background.
     *
     * @return this catalogue
     */
    public FrameworkCatalogue start() {
        follower.start();
        return this;
    }

    /** Whether every framework that was on the topic at start has been read. */
    public boolean ready() {
        return follower.ready();
    }

    /**
     * The framework published under an id.
     *
     * @param id a framework id
     * @return the framework, if one is published under {@code id}
     */
    public Optional<Framework> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every framework, by id. */
    public List<Framework> all() {
        return List.copyOf(new TreeMap<>(byId).values());
    }

    /** Records a framework this instance just published, before the topic brings it back. */
    public void put(Framework framework) {
        byId.put(framework.id().toString(), framework);
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String id = record.key() == null ? null : Topics.FRAMEWORKS.keySerde().deserializer().deserialize(record.topic(), record.key());
        if (id == null) {
            return;
        }
        if (record.value() == null) {
            byId.remove(id);
            return;
        }
        try {
            byId.put(id, Topics.FRAMEWORKS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } catch (SerializationException e) {
            LOG.warn("framework {} on {} is not readable: {}", id, record.topic(), e.getMessage());
        }
    }

    /**
     * Waits until every framework published before this call has been read.
     *
     * @param patience how long to wait at most
     * @return whether it got there within {@code patience}
     */
    public boolean catchUp(Duration patience) {
        return follower.catchUp(patience);
    }

    @Override
    public void close() {
        follower.close();
    }
}
