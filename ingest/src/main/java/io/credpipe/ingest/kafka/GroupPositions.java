package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the consumer groups of the later stages are: their committed positions, read from the
 * group coordinator (not by asking the stages), against the topics' ends.
 *
 * <p>A stage "has passed" a position when its committed offset reached it, or when nothing but
 * transaction markers lies between the two: a Kafka Streams application writing with exactly-once
 * commits the offset after the last record it read, while each transaction's commit marker takes
 * an offset of its own, so a stage that read everything can sit short of the end for ever. That gap
 * is read with a {@code read_committed} consumer, which skips markers and aborted records.
 */
public final class GroupPositions implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a gap may be read before it is taken to hold records (the stage has not passed). */
    private static final Duration GAP_READ = Duration.ofSeconds(2);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param kafka the cluster and its client settings
     */
    public GroupPositions(KafkaClientSettings kafka) {
        this.admin = Admin.create(kafka.client(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
        this.consumer = new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-ingest-positions")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A group's committed positions on a topic, by partition; a partition it never committed is absent.
     *
     * @param group the consumer group
     * @param topic the topic
     * @return the next offset the group will read, per partition
     */
    public Map<Integer, Long> committed(String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<Integer, Long> positions = new TreeMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(topic)) {
                positions.put(partition.partition(), offset.offset());
            }
        });
        return positions;
    }

    /**
     * A topic's end offsets (the last stable offset: what a {@code read_committed} reader can reach).
     *
     * @param topic the topic
     * @return the end per partition
     */
    public Map<Integer, Long> ends(String topic) {
        List<Integer> partitions = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(p -> p.partition()).toList();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        Map<Integer, Long> ends = new TreeMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /**
     * The partitions on which a group has passed the given positions.
     *
     * @param group   the consumer group
     * @param topic   the topic it reads
     * @param targets per partition, the position to have passed (an offset after the last record that matters)
     * @return the partitions of {@code targets} passed
     */
    public Set<Integer> passed(String group, String topic, Map<Integer, Long> targets) {
        Map<Integer, Long> committed = committed(group, topic);
        Set<Integer> passed = new TreeSet<>();
        targets.forEach((partition, target) -> {
            long at = committed.getOrDefault(partition, 0L);
            if (at >= target || !recordsBetween(new TopicPartition(topic, partition), at, target)) {
                passed.add(partition);
            }
        });
        return passed;
    }

    /** Whether committed records lie in [from, to); when the gap cannot be read in time, {@code true}. */
    private synchronized boolean recordsBetween(TopicPartition partition, long from, long to) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + GAP_READ.toNanos();
        while (consumer.position(partition, TIMEOUT) < to) {
            if (consumer.poll(Duration.ofMillis(100)).records(partition).stream().anyMatch(r -> r.offset() < to)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return true;
            }
        }
        return false;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading consumer positions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read consumer positions: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        consumer.close(Duration.ofSeconds(2));
    }
}
