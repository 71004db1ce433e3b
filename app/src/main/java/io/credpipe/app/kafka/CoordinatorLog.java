package io.credpipe.app.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.coordinator.transaction.TransactionLog;

/**
 * The transaction coordinator's own log ({@code __transaction_state}), read back: what it wrote of
 * each transaction, in the order it wrote it. It is the one place that still says how a
 * transaction ended after the coordinator has moved on (its in-memory state then shows only the
 * producer's later transactions), and so what a partition whose marker was lost must receive.
 *
 * <p>The records are decoded with Kafka's own reader of that log ({@link TransactionLog#read}),
 * which every broker uses to load it; the format is versioned and kept readable across releases.
 */
final class CoordinatorLog {

    /** One state the coordinator wrote for a transactional id. */
    record Entry(String transactionalId, long producerId, short producerEpoch, TransactionState state,
            Set<TopicPartition> partitions) {}

    /** How the coordinator ended a transaction. */
    enum Outcome {
        COMMIT, ABORT
    }

    private CoordinatorLog() {}

    /**
     * How the coordinator ended the transaction that {@code producerId} opened at {@code epoch} on
     * {@code partition}; empty when its log does not say (the records were compacted away, or the
     * transaction has not ended).
     *
     * <p>The transaction's last {@code Ongoing} entry with that epoch and partition is followed, for
     * the same transactional id, by the coordinator's decision: {@code PrepareCommit} or
     * {@code PrepareAbort}, whatever epoch it carries (transaction version 2 bumps it there,
     * KIP-890). The coordinator moves an {@code Ongoing} transaction nowhere else, so the next
     * entry is that decision or the log does not hold it.
     *
     * @param entries the log in the order written (as {@link #read} returns it)
     */
    static Optional<Outcome> outcome(List<Entry> entries, long producerId, int epoch, TopicPartition partition) {
        int opened = -1;
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.producerId() == producerId && entry.producerEpoch() == epoch
                    && entry.state() == TransactionState.ONGOING && entry.partitions().contains(partition)) {
                opened = i;
            }
        }
        if (opened < 0) {
            return Optional.empty();
        }
        String transactionalId = entries.get(opened).transactionalId();
        for (int i = opened + 1; i < entries.size(); i++) {
            Entry next = entries.get(i);
            boolean sameTransaction = next.state() == TransactionState.ONGOING && next.producerId() == producerId
                    && next.producerEpoch() == epoch;
            if (!next.transactionalId().equals(transactionalId) || sameTransaction) {
                // Another transactional id, or the same transaction with more partitions added.
                continue;
            }
            return switch (next.state()) {
                case PREPARE_COMMIT -> Optional.of(Outcome.COMMIT);
                case PREPARE_ABORT -> Optional.of(Outcome.ABORT);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /**
     * Reads the whole log as it stands now, in the order written for each transactional id (the
     * coordinator keeps one transactional id on one partition of its log).
     *
     * @param bootstrapServers the cluster
     * @param patience how long to read before giving up
     * @throws IllegalStateException when the log cannot be read to its end within {@code patience}
     */
    static List<Entry> read(String bootstrapServers, Duration patience) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "credpipe-embedded-coordinator-log-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Entry> entries = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topic.TRANSACTION_STATE_TOPIC_NAME, patience);
            List<TopicPartition> partitions = infos == null ? List.of()
                    : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return entries;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, patience);
            while (partitions.stream().anyMatch(p -> consumer.position(p, patience) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the transaction coordinator's log was not read to its end within " + patience);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record).ifPresent(entries::add);
                }
            }
        }
        return entries;
    }

    private static Optional<Entry> decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return Optional.empty();
        }
        TransactionLog.ReadResult read = TransactionLog.read(ByteBuffer.wrap(record.key()), ByteBuffer.wrap(record.value()));
        if (!(read instanceof TransactionLog.TxnRecord txn)) {
            return Optional.empty();
        }
        var metadata = txn.metadata();
        TransactionState state = switch (metadata.state()) {
            case EMPTY -> TransactionState.EMPTY;
            case ONGOING -> TransactionState.ONGOING;
            case PREPARE_COMMIT -> TransactionState.PREPARE_COMMIT;
            case PREPARE_ABORT -> TransactionState.PREPARE_ABORT;
            case COMPLETE_COMMIT -> TransactionState.COMPLETE_COMMIT;
            case COMPLETE_ABORT -> TransactionState.COMPLETE_ABORT;
            case PREPARE_EPOCH_FENCE -> TransactionState.PREPARE_EPOCH_FENCE;
            default -> TransactionState.UNKNOWN;
        };
        return Optional.of(new Entry(txn.transactionId(), metadata.producerId(), metadata.producerEpoch(), state,
                Set.copyOf(metadata.topicPartitions())));
    }
}
