package io.credpipe.issuer.stream;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.issuer.delivery.OperatorLinkStore;
import io.credpipe.model.delivery.OperatorLink;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code operator-links} topic as a {@link OperatorLinkStore}: every instance reads the whole
 * compacted topic from the start into memory and keeps following it, so a link created or revoked
 * on any instance (or by {@code credpipe links}) holds on all of them. A write returns once this
 * instance has read it back, so the link it created opens the page at once here.
 *
 * <p>A plain consumer with no group rather than a Kafka Streams global table: the links have
 * nothing to do with the issuer's exactly-once tasks, and a page must keep opening while the issuer's
 * streams rebalance. Memory: one small record per open link.
 */
public final class OperatorLinkTopic implements OperatorLinkStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorLinkTopic.class);
    /** How long a write waits for Kafka and for this instance to read it back. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClientSettings kafka;
    private final String clientId;
    private final Map<String, OperatorLink> links = new ConcurrentHashMap<>();
    /** The next offset to read per partition, as the follower has applied it. */
    private final Map<Integer, Long> applied = new HashMap<>();
    private Map<Integer, Long> startEnd = Map.of();
    private KafkaProducer<String, OperatorLink> producer;
    private KafkaConsumer<String, OperatorLink> consumer;
    private Thread follower;
    private volatile boolean stopping;

    /**
     * @param kafka the Kafka cluster and its client settings
     * @param clientId names this instance's clients in the broker's logs
     */
    public OperatorLinkTopic(KafkaClientSettings kafka, String clientId) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
    }

    /** Starts following the topic from its beginning; {@link #caughtUp()} tells when the links known at start are read. */
    public synchronized void start() {
        if (follower != null) {
            throw new IllegalStateException("already started");
        }
        Properties producerProps = kafka.properties(Map.of());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-links-writer");
        producer = new KafkaProducer<>(producerProps, Topics.OPERATOR_LINKS.keySerde().serializer(),
                Topics.OPERATOR_LINKS.valueSerde().serializer());
        Properties consumerProps = kafka.properties(Map.of());
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-links-reader");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerProps, Topics.OPERATOR_LINKS.keySerde().deserializer(),
                Topics.OPERATOR_LINKS.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.OPERATOR_LINKS.name(), WRITE_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<Integer, Long> end = new HashMap<>();
        consumer.endOffsets(partitions, WRITE_TIMEOUT).forEach((partition, offset) -> end.put(partition.partition(), offset));
        startEnd = Map.copyOf(end);
        follower = new Thread(this::follow, clientId + "-links-follower");
        follower.setDaemon(true);
        follower.start();
    }

    private void follow() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, OperatorLink> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        links.remove(record.key());
                    } else {
                        links.put(record.key(), record.value());
                    }
                }
                synchronized (applied) {
                    for (TopicPartition partition : consumer.assignment()) {
                        applied.put(partition.partition(), consumer.position(partition));
                    }
                    applied.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() stops the follower.
        } catch (RuntimeException e) {
            LOG.error("stopped following {}; links created elsewhere from now on are unknown here until a restart",
                    Topics.OPERATOR_LINKS.name(), e);
        } finally {
            consumer.close();
        }
    }

    /** Whether every link that existed when this instance started has been read. */
    public boolean caughtUp() {
        synchronized (applied) {
            return startEnd.entrySet().stream()
                    .allMatch(entry -> applied.getOrDefault(entry.getKey(), 0L) >= entry.getValue());
        }
    }

    @Override
    public void put(OperatorLink link) {
        write(new ProducerRecord<>(Topics.OPERATOR_LINKS.name(), link.tokenHash(), link));
    }

    @Override
    public void remove(String tokenHash) {
        write(new ProducerRecord<>(Topics.OPERATOR_LINKS.name(), tokenHash, null));
    }

    @Override
    public Optional<OperatorLink> find(String tokenHash) {
        return Optional.ofNullable(links.get(tokenHash));
    }

    @Override
    public List<OperatorLink> ofOperator(String operatorId) {
        return links.values().stream().filter(link -> link.operatorId().equals(operatorId)).toList();
    }

    /** Writes the record and waits until the follower has read past it. */
    private void write(ProducerRecord<String, OperatorLink> record) {
        KafkaProducer<String, OperatorLink> current;
        synchronized (this) {
            current = producer;
        }
        if (current == null) {
            throw new IllegalStateException("the operator links are not started");
        }
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        RecordMetadata written;
        try {
            written = current.send(record).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (applied) {
                while (applied.getOrDefault(written.partition(), 0L) <= written.offset()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new IllegalStateException("the link was written but not read back within " + WRITE_TIMEOUT);
                    }
                    applied.wait(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a link", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the link within " + WRITE_TIMEOUT, e);
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        if (consumer != null && follower != null) {
            consumer.wakeup();
            try {
                follower.join(WRITE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(WRITE_TIMEOUT);
            producer = null;
        }
        follower = null;
    }
}
