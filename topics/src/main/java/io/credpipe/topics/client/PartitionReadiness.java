package io.credpipe.topics.client;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until the leader of every partition of newly created topics serves it, before anything
 * produces to them.
 *
 * <p>Why: an idempotent producer's first two requests to a partition its leader has not yet
 * loaded can be handled out of order. The first fails with {@code NOT_LEADER_OR_FOLLOWER}; the
 * second arrives once the partition is loaded and, the broker holding no state for the producer,
 * is appended with whatever sequence it carries; every retry of the first then fails with
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} until {@code delivery.timeout.ms} expires its records
 * (KAFKA-15591, fixed in the broker only from Kafka 4.5). It cost {@code credpipe bench
 * end-to-end} its producer baseline in 1 of 4 runs here, and a CI run. {@code ListOffsets} is answered
 * by the partition's leader from the partitions it has loaded, so once it answers for every
 * partition, the first produce cannot meet an unloaded one.
 */
public final class PartitionReadiness {

    private static final Duration PAUSE = Duration.ofMillis(50);

    private PartitionReadiness() {}

    /**
     * Returns once every partition of {@code topics} answers {@code ListOffsets} on its leader.
     *
     * @throws TimeoutException when that has not happened within {@code timeout}
     * @throws ExecutionException on an error that waiting does not cure (authorisation, say)
     */
    public static void await(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                for (TopicDescription topic : admin.describeTopics(List.copyOf(topics)).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).values()) {
                    topic.partitions().forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
                }
                admin.listOffsets(partitions).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                // Just created: a broker's metadata may not list the topic yet, or not its leader.
                if (!(e.getCause() instanceof RetriableException retriable)) {
                    throw e;
                }
                last = retriable;
            } catch (TimeoutException e) {
                // The admin client was still retrying when the deadline came: say which topics, below.
                last = e;
                break;
            }
            Thread.sleep(PAUSE.toMillis());
        }
        TimeoutException timedOut = new TimeoutException("the partitions of " + topics + " had no serving leader after " + timeout);
        if (last != null) {
            timedOut.initCause(last);
        }
        throw timedOut;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
