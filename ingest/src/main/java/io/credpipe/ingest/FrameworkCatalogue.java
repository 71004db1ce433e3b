package io.credpipe.ingest;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frameworks on the compacted {@code frameworks} topic, by id, kept current by following the
 * topic in the background (no consumer group: every instance reads everything). {@link #ready()}
 * once it read up to the end offsets found at start.
 */
final class FrameworkCatalogue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkCatalogue.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Framework> byId = new ConcurrentHashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    FrameworkCatalogue(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-ingest-frameworks"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "credpipe-ingest-frameworks");
        thread.setDaemon(true);
    }

    FrameworkCatalogue start() {
        thread.start();
        return this;
    }

    boolean ready() {
        return ready.get();
    }

    Optional<Framework> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every framework, by id. */
    List<Framework> all() {
        return List.copyOf(new TreeMap<>(byId).values());
    }

    /** Records a framework this instance just published, before the topic brings it back. */
    void put(Framework framework) {
        byId.put(framework.id().toString(), framework);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && !closed.get()) {
                partitions = consumer.partitionsFor(Topics.FRAMEWORKS.name(), Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMinutes(1));
            while (!closed.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String id = record.key() == null ? null : Topics.FRAMEWORKS.keySerde().deserializer().deserialize(record.topic(), record.key());
                    if (id == null) {
                        continue;
                    }
                    if (record.value() == null) {
                        byId.remove(id);
                        continue;
                    }
                    try {
                        byId.put(id, Topics.FRAMEWORKS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    } catch (SerializationException e) {
                        LOG.warn("framework {} on {} is not readable: {}", id, record.topic(), e.getMessage());
                    }
                }
                if (!ready.get() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    ready.set(true);
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
                LOG.error("ingest stopped reading {}", Topics.FRAMEWORKS.name(), e);
                ready.set(false);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

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
