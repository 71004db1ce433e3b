package io.credpipe.topics.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Everything a service needs to read or write one Kafka topic: its name, its key and value serdes
 * and the topic configuration it is created with. The catalogue is {@link Topics}.
 *
 * @param name the topic name
 * @param keySerde the key serde
 * @param valueSerde the value serde
 * @param config topic-level configuration, e.g. {@code cleanup.policy}
 * @param fixedPartitions the partition count this topic must have whatever a deployment asks for
 *     (a log whose order decides something needs exactly one); empty to follow the deployment
 * @param <K> the key type
 * @param <V> the value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config,
        Optional<Integer> fixedPartitions) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        config = Map.copyOf(config);
        Objects.requireNonNull(fixedPartitions, "fixedPartitions");
    }

    /** A topic whose partition count follows the deployment. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config) {
        this(name, keySerde, valueSerde, config, Optional.empty());
    }

    /** How a Kafka Streams topology reads this topic. */
    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    /** How a Kafka Streams topology writes this topic. */
    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }

    /**
     * The admin request that creates this topic.
     *
     * @param partitions the partition count; empty for the broker default; ignored when the topic has
     *     {@link #fixedPartitions()}
     * @param replicationFactor the replication factor; empty for the broker default
     */
    public NewTopic newTopic(Optional<Integer> partitions, Optional<Short> replicationFactor) {
        return new NewTopic(name, fixedPartitions.isPresent() ? fixedPartitions : partitions, replicationFactor)
                .configs(config);
    }

    @Override
    public String toString() {
        return name;
    }
}
