package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether a consumer group (a Kafka Streams application) has processed every record of a topic.
 *
 * <p>Comparing committed offsets with end offsets is not enough for topics written with
 * transactions: each commit marker takes an offset of its own, so a group that processed every
 * record can sit one offset short of the end for ever. A partition counts as caught up when no
 * committed data record exists at or after the group's committed offset.
 */
public final class ConsumerLag {

    private ConsumerLag() {}

    /**
     * @param kafka the cluster and its client settings
     * @param groupId the consumer group, i.e. the Streams {@code application.id}
     * @param topic the topic the group reads
     * @return the partitions that still hold records the group has not processed; empty when caught up
     */
    public static List<TopicPartition> behind(KafkaClientSettings kafka, String groupId, String topic) {
        try (Admin admin = Admin.create(kafka.client(Map.of()));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TopicSnapshot.consumerConfig(kafka),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<TopicPartition> behind = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long from = offset == null ? 0 : offset.offset();
                long to = end.get(partition);
                if (from < to && hasRecordsBetween(consumer, partition, from, to)) {
                    behind.add(partition);
                }
            }
            return behind;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read offsets of group " + groupId + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasRecordsBetween(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long from, long to) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (consumer.position(partition) < to) {
            if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return true;
            }
        }
        return false;
    }
}
