package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes frameworks to the compacted {@code frameworks} topic, where every service reads them. */
public final class FrameworkPublisher {

    private FrameworkPublisher() {}

    /**
     * Publishes each framework whose id is not on the topic yet. A framework id names one version,
     * so an id already there is that framework and is left alone.
     *
     * @return the ids published
     */
    public static List<String> publishMissing(KafkaClientSettings kafka, List<Framework> frameworks) {
        Set<String> present = TopicSnapshot.read(kafka, Topics.FRAMEWORKS, Duration.ofSeconds(30)).stream()
                .map(r -> r.key())
                .collect(Collectors.toSet());
        List<Framework> missing = frameworks.stream().filter(f -> !present.contains(f.id().toString())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        try (KafkaProducer<String, Framework> producer = new KafkaProducer<>(kafka.client(Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Framework framework : missing) {
                sent.add(producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish frameworks: " + e.getCause().getMessage(), e.getCause());
        }
        return missing.stream().map(f -> f.id().toString()).toList();
    }
}
