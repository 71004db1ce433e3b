package io.credpipe.issuer.stream;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.issuer.delivery.DeliveryLog;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@code deliveries} topic as the {@link DeliveryLog} of the issuer's HTTP side (wallet offers,
 * redemptions, notifications), keyed by operator id like the events the topology writes.
 */
public final class DeliveryTopic implements DeliveryLog, AutoCloseable {

    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaProducer<String, DeliveryEvent> producer;

    /**
     * @param kafka the Kafka cluster and its client settings
     * @param clientId names this instance's producer in the broker's logs
     */
    public DeliveryTopic(KafkaClientSettings kafka, String clientId) {
        Properties properties = kafka.properties(Map.of());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-deliveries");
        producer = new KafkaProducer<>(properties, Topics.DELIVERIES.keySerde().serializer(),
                Topics.DELIVERIES.valueSerde().serializer());
    }

    @Override
    public void record(DeliveryEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.DELIVERIES.name(), event.operatorId(), event))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a delivery event", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the delivery event within " + WRITE_TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        producer.close(WRITE_TIMEOUT);
    }
}
