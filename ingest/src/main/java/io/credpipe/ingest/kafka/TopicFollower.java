package io.credpipe.ingest.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic from the beginning on a background thread and keeps following it, handing
 * every committed record to a handler. {@link #ready()} once it reached the end offsets it found at
 * start. No consumer group: every instance reads everything and commits nothing, because what it
 * builds is rebuilt at every start.
 */
final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Runnable onCaughtUp;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    /** Callers waiting for the follower to reach the end of the topic as it is when the follower sees the request. */
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();

    /**
     * @param clientId the consumer's client id, also the thread's name
     * @param consumerOverrides extra consumer settings, e.g. {@code max.poll.records}
     * @param handler called for every record, on the follower's thread
     * @param onCaughtUp called once, when the records present at start have all been handled
     */
    TopicFollower(KafkaClientSettings kafka, String topic, String clientId, Map<String, Object> consumerOverrides,
            Consumer<ConsumerRecord<byte[], byte[]>> handler, Runnable onCaughtUp) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Only what producers committed: an aborted write never happened.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        config.putAll(consumerOverrides);
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(kafka.client(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.handler = handler;
        this.onCaughtUp = onCaughtUp;
        this.thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    /** Starts reading in the background. */
    TopicFollower start() {
        thread.start();
        return this;
    }

    /** Whether every record that was in the topic at start has been handled (and reading did not fail since). */
    boolean ready() {
        return ready.get();
    }

    /**
     * Waits until every record committed to the topic before this call has been handled, so that a
     * lookup that missed can tell "not there" from "not read yet" (another instance, or a publisher
     * outside ingest, may have just written it).
     *
     * @param patience how long to wait at most
     * @return whether the follower caught up within {@code patience}
     */
    boolean catchUp(Duration patience) {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        catchUpRequests.add(reached);
        try {
            reached.get(patience.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            catchUpRequests.remove(reached);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && !closed.get()) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMinutes(1));
            // Requests whose end offsets are read, waiting for the positions to get there.
            Map<CompletableFuture<Void>, Map<TopicPartition, Long>> waiting = new HashMap<>();
            while (!closed.get()) {
                List<CompletableFuture<Void>> arrived = catchUpRequests.stream()
                        .filter(request -> !request.isDone() && !waiting.containsKey(request)).toList();
                if (!arrived.isEmpty()) {
                    Map<TopicPartition, Long> now = consumer.endOffsets(partitions, Duration.ofSeconds(10));
                    arrived.forEach(request -> waiting.put(request, now));
                }
                Duration poll = waiting.isEmpty() ? Duration.ofMillis(500) : Duration.ofMillis(20);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(poll)) {
                    handler.accept(record);
                }
                waiting.entrySet().removeIf(request -> {
                    if (request.getKey().isDone()) {
                        return true;
                    }
                    if (request.getValue().entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        request.getKey().complete(null);
                        return true;
                    }
                    return false;
                });
                if (!ready.get() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    ready.set(true);
                    onCaughtUp.run();
                }
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed.get()) {
                // Not ready any more: what was built from the topic stops being current.
                LOG.error("ingest stopped reading {}", topic, e);
                ready.set(false);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Stops following the topic. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(Duration.ZERO);
                return;
            }
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
