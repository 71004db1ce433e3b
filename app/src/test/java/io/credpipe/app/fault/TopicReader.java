package io.credpipe.app.fault;

import io.credpipe.topics.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads what is committed on a topic, from the beginning to its end now, as the fault tests check it. */
final class TopicReader {

    private TopicReader() {}

    static <K, V> void readAll(String bootstrap, Topic<K, V> topic, BiConsumer<K, V> each) {
        try (KafkaConsumer<K, V> consumer = consumer(bootstrap, topic)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            drain(consumer, partitions, each);
        }
    }

    static <K, V> KafkaConsumer<K, V> consumer(String bootstrap, Topic<K, V> topic) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, Topic<?, ?> topic) {
        return consumer.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /** Polls until every partition's position reaches its (last stable) end offset as of now. */
    static <K, V> void drain(KafkaConsumer<K, V> consumer, List<TopicPartition> partitions, BiConsumer<K, V> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    each.accept(record.key(), record.value());
                }
            }
        }
    }
}
