package io.credpipe.topics.follow;

import io.credpipe.model.event.OperatorRegistry;
import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators the {@code assessments} topic holds a record of: an operator exists for the
 * pipeline once an event about them was accepted (issue 16.6: "no such operator" must not read like
 * "nothing processed yet"). The operator routes of the evaluator and the issuer answer {@code 404}
 * for an operator not on record, and an empty answer for one on record whose events have not made
 * progress or credentials (yet).
 *
 * <p>Reads only the record keys (the operator ids) of every partition from the beginning, on a
 * background thread, with no consumer group; keeps 64 bits of SHA-256 per operator in an
 * open-addressing table of longs (8 bytes an operator at most 60 % full). Two operators share a
 * digest with probability about n²/2⁶⁵, which would only answer an empty list instead of a 404.
 * A lookup that misses first waits for the topic to be read up to its current end, so an operator
 * whose first event was just accepted is found.
 */
public final class OperatorsOnRecord implements OperatorRegistry, AutoCloseable {

    /** How long a lookup that missed waits for the topic to be read up to its end. */
    public static final Duration PATIENCE = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(OperatorsOnRecord.class);
    private static final Deserializer<Void> IGNORED = (topic, data) -> null;

    private final KafkaClientSettings kafka;
    private final String clientId;
    /** Created at {@link #start()}, so that a service never started makes no client. */
    private volatile KafkaConsumer<byte[], Void> consumer;
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    /** Guards start and close, apart from the digests' monitor the follower thread takes. */
    private final Object lifecycle = new Object();
    private long[] digests = new long[1 << 12];
    private int size;

    /**
     * Creates the follower; nothing is read before {@link #start()}.
     *
     * @param kafka    the cluster and its client settings
     * @param clientId the consumer's client id and the thread's name
     */
    public OperatorsOnRecord(KafkaClientSettings kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
        this.thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    /**
     * Starts reading in the background.
     *
     * @return this
     */
    public OperatorsOnRecord start() {
        synchronized (lifecycle) {
            if (closed.get() || consumer != null) {
                return this;
            }
        consumer = new KafkaConsumer<>(kafka.client(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId)), new ByteArrayDeserializer(), IGNORED);
            thread.start();
            return this;
        }
    }

    /** Whether every record that was in the topic at start has been read. */
    public boolean ready() {
        return ready.get();
    }

    @Override
    public Standing lookup(String operatorId) {
        return lookup(operatorId, PATIENCE);
    }

    /**
     * Whether an operator is on record.
     *
     * @param operatorId the operator id (the {@code assessments} key)
     * @param patience   how long a miss may wait for the topic to be read up to its current end
     * @return the operator's standing
     */
    public Standing lookup(String operatorId, Duration patience) {
        long digest = digest(operatorId);
        if (contains(digest)) {
            return Standing.ON_RECORD;
        }
        CompletableFuture<Void> reached = new CompletableFuture<>();
        catchUpRequests.add(reached);
        try {
            reached.get(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return contains(digest) ? Standing.ON_RECORD : Standing.NOT_READY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Standing.NOT_READY;
        } finally {
            catchUpRequests.remove(reached);
        }
        return contains(digest) ? Standing.ON_RECORD : Standing.UNKNOWN;
    }

    private void run() {
        String topic = Topics.ASSESSMENTS.name();
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
            Map<TopicPartition, Long> start = consumer.endOffsets(partitions, Duration.ofMinutes(1));
            Map<CompletableFuture<Void>, Map<TopicPartition, Long>> waiting = new HashMap<>();
            while (!closed.get()) {
                List<CompletableFuture<Void>> arrived = catchUpRequests.stream()
                        .filter(request -> !request.isDone() && !waiting.containsKey(request)).toList();
                if (!arrived.isEmpty()) {
                    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
                    arrived.forEach(request -> waiting.put(request, end));
                }
                for (ConsumerRecord<byte[], Void> record : consumer.poll(waiting.isEmpty() ? Duration.ofMillis(500) : Duration.ofMillis(20))) {
                    if (record.key() != null) {
                        add(digest(new String(record.key(), StandardCharsets.UTF_8)));
                    }
                }
                waiting.entrySet().removeIf(request -> {
                    boolean there = reached(request.getValue());
                    if (there) {
                        request.getKey().complete(null);
                    }
                    return there || request.getKey().isDone();
                });
                if (!ready.get() && reached(start)) {
                    ready.set(true);
                    LOG.info("{} operators on record in {}", size(), topic);
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
                LOG.error("stopped reading the operators on record in {}", topic, e);
                ready.set(false);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean reached(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** How many operators are on record. */
    public synchronized int size() {
        return size;
    }

    private synchronized boolean contains(long digest) {
        int mask = digests.length - 1;
        for (int slot = (int) (digest ^ (digest >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            if (digests[slot] == 0) {
                return false;
            }
            if (digests[slot] == digest) {
                return true;
            }
        }
    }

    private synchronized void add(long digest) {
        if (contains(digest)) {
            return;
        }
        if (size + 1 > digests.length * 0.6) {
            long[] old = digests;
            digests = new long[old.length * 2];
            size = 0;
            for (long d : old) {
                if (d != 0) {
                    insert(d);
                }
            }
        }
        insert(digest);
    }

    private void insert(long digest) {
        int mask = digests.length - 1;
        int slot = (int) (digest ^ (digest >>> 32)) & mask;
        while (digests[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        digests[slot] = digest;
        size++;
    }

    /** 64 bits of SHA-256, moved off zero (the free-slot mark). */
    static long digest(String operatorId) {
        byte[] bytes;
        try {
            bytes = MessageDigest.getInstance("SHA-256").digest(operatorId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        long d = 0;
        for (int i = 0; i < 8; i++) {
            d = (d << 8) | (bytes[i] & 0xff);
        }
        return d == 0 ? 1 : d;
    }

    /** Stops reading. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!closed.compareAndSet(false, true) || consumer == null) {
                return;
            }
        }
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
