package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.topics.topic.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic as it stands now: every committed record from the beginning up to the end
 * offsets at the time of the call. No consumer group is joined and no offset committed.
 */
public final class TopicSnapshot {

    private TopicSnapshot() {}

    /**
     * @param kafka the cluster and its client settings
     * @param topic the topic to read
     * @param timeout how long to keep reading before giving up
     * @return the records, in partition order then offset order
     */
    public static <K, V> List<ConsumerRecord<K, V>> read(KafkaClientSettings kafka, Topic<K, V> topic, Duration timeout) {
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(consumerConfig(kafka),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("timed out reading " + topic.name());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The committed end offset of every partition of a topic. */
    public static Map<TopicPartition, Long> endOffsets(KafkaClientSettings kafka, Topic<?, ?> topic, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions, timeout);
        }
    }

    static Map<String, Object> consumerConfig(KafkaClientSettings kafka) {
        return kafka.client(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-snapshot-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Only what the pipeline committed: aborted transactions are not history.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
