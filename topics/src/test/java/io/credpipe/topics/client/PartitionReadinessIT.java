package io.credpipe.topics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a real broker: topics just created, awaited, then written at once by an idempotent producer
 * with five requests in flight, as ingest writes. With the wait left out, this test failed within
 * its 40 rounds here (a partition's first request lost to OUT_OF_ORDER_SEQUENCE_NUMBER until its
 * delivery timeout); with it, 80 rounds in two runs were whole.
 */
@ExtendWith(RealKafka.class)
class PartitionReadinessIT {

    private static final int ROUNDS = 40;
    private static final int RECORDS = 3_000;

    @Test
    void aBurstStraightAfterCreationIsWrittenWholeAndInOrder(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            for (int round = 0; round < ROUNDS; round++) {
                String topic = "readiness-" + UUID.randomUUID();
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                PartitionReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));

                List<Future<RecordMetadata>> acks = new ArrayList<>();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                        // Small batches, sent at once: many requests in flight to each new partition.
                        ProducerConfig.BATCH_SIZE_CONFIG, 512, ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                        new StringSerializer(), new StringSerializer())) {
                    for (int i = 0; i < RECORDS; i++) {
                        acks.add(producer.send(new ProducerRecord<>(topic, i % 3, null, "record " + i)));
                    }
                    producer.flush();
                }
                long[] last = {-1, -1, -1};
                for (Future<RecordMetadata> ack : acks) {
                    RecordMetadata written = ack.get();
                    assertThat(written.offset()).as("each partition's records in the order sent").isGreaterThan(last[written.partition()]);
                    last[written.partition()] = written.offset();
                }
                var ends = admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                        new TopicPartition(topic, 1), OffsetSpec.latest(), new TopicPartition(topic, 2), OffsetSpec.latest())).all().get();
                assertThat(ends.values().stream().mapToLong(end -> end.offset()).sum()).isEqualTo(RECORDS);
            }
        }
    }

    @Test
    void aTopicThatDoesNotExistTimesOutNamingIt(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThatThrownBy(() -> PartitionReadiness.await(admin, List.of("never-created"), Duration.ofSeconds(2)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("never-created");
        }
    }
}
