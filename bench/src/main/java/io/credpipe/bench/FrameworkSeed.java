package io.credpipe.bench;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes the seed frameworks to {@code frameworks}, as an admin would before the first
 * assessment: ingest refuses assessments on a framework it has not seen, and the evaluator cannot
 * decide on one. The benchmarks run below the launcher, so they cannot use its publisher.
 */
final class FrameworkSeed {

    private FrameworkSeed() {}

    /** Sends every seed framework with {@code producer} (not waiting for acknowledgements). */
    static void publish(KafkaProducer<String, byte[]> producer) {
        for (Framework framework : SeedFrameworks.load()) {
            producer.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(),
                    Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework)));
        }
    }
}
