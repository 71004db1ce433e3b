package io.credpipe.testing;

import io.credpipe.topics.client.PartitionReadiness;
import io.credpipe.topics.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker for integration tests: a container when a Docker engine is reachable,
 * otherwise Kafka's own KRaft server in this JVM. Obtain one through {@link RealKafka}.
 */
public interface KafkaBroker extends AutoCloseable {

    /** Where clients connect, e.g. {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /** {@code testcontainers} or {@code in-process}, for test logs. */
    String kind();

    /** A fresh admin client; close it. */
    default Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Creates topics as the app does. Tests share one broker per JVM, so a test that needs isolation
     * uses {@link #uniqueName(String)} for its application ids.
     */
    default void createTopics(List<Topic<?, ?>> topics, int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            var missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(Optional.of(partitions), Optional.of((short) 1)))
                    .toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics", e.getCause());
                }
            }
            PartitionReadiness.await(admin, missing.stream().map(NewTopic::name).toList(), PATIENCE);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        }
    }

    /** A name no other test in this JVM uses, for application ids and topic prefixes. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** How long tests wait for the pipeline before failing. */
    Duration PATIENCE = Duration.ofSeconds(60);
}
