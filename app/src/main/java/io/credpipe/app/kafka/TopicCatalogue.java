package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.topics.client.PartitionReadiness;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the pipeline's topics ({@link Topics#ALL}) with DESIGN.md's settings if they are missing. */
public final class TopicCatalogue {

    private static final Logger log = LoggerFactory.getLogger(TopicCatalogue.class);

    private TopicCatalogue() {}

    /**
     * Creates every missing topic. Existing topics are left as they are: partition counts can only
     * grow, and growing them would move operators between partitions (their history must stay
     * ordered on one), so that is an operator's decision, not a start-up side effect.
     *
     * @param kafka the cluster and its client settings
     * @param partitions partitions for new topics; empty for the broker default
     * @return the names of the topics created
     */
    public static List<String> ensure(KafkaClientSettings kafka, Optional<Integer> partitions) {
        try (Admin admin = Admin.create(kafka.client(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> topic.newTopic(partitions, Optional.empty()))
                    .toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another instance starting at the same moment may have won the race; that is fine.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            List<String> names = missing.stream().map(NewTopic::name).toList();
            PartitionReadiness.await(admin, names, Duration.ofSeconds(30));
            log.info("created topics {}", names);
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof AuthenticationException) {
                // The first call credpipe makes: a wrong password or an untrusted certificate stops
                // start-up here with one line, not in every client later.
                throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " refused the connection"
                        + " (check the TLS and SASL settings of --kafka-config): " + cause.getMessage(), cause);
            }
            throw new IllegalStateException("cannot create the pipeline's topics on " + kafka.bootstrapServers() + ": " + cause.getMessage(), cause);
        }
    }

    /** The names of the catalogue, in data-flow order. */
    public static List<String> names() {
        return Topics.ALL.stream().map(Topic::name).toList();
    }
}
