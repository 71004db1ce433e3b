package io.credpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedKafka#startCluster} with three brokers, as {@code credpipe bench end-to-end
 * --brokers 3} runs it: every broker joins, a topic created without a replication factor gets three
 * replicas all in sync, the brokers require two in-sync replicas, and an idempotent
 * {@code acks=all} write succeeds.
 */
class EmbeddedKafkaClusterIT {

    @TempDir
    Path temp;

    @Test
    void threeBrokersReplicateEveryTopicThreeTimesWithTwoInSync() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startCluster(temp.resolve("kafka"), 3);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);

            admin.createTopics(List.of(new NewTopic("replicated", Optional.of(2), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            assertThat(describe(admin).partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));

            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            assertThat(admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker)
                    .get("min.insync.replicas").value()).isEqualTo("2");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
                assertThat(producer.send(new ProducerRecord<>("replicated", "k", "v")).get(30, TimeUnit.SECONDS).offset()).isZero();
            }
            assertThat(describe(admin).partitions()).allSatisfy(p -> assertThat(p.isr()).hasSizeGreaterThanOrEqualTo(2));
        }
    }

    /** The topic as the cluster describes it, once the broker asked has learnt of it (metadata reaches brokers asynchronously). */
    private static TopicDescription describe(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of("replicated")).allTopicNames().get(30, TimeUnit.SECONDS).get("replicated");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
