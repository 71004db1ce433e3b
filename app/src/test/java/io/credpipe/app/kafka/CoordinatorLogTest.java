package io.credpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.kafka.CoordinatorLog.Entry;
import io.credpipe.app.kafka.CoordinatorLog.Outcome;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's decision on a transaction, found in its log as the transaction version 2
 * coordinator writes it: {@code Ongoing} at the producer's epoch as partitions join, then
 * {@code PrepareCommit}/{@code PrepareAbort} at the next epoch, then {@code Complete*}, then the
 * producer's next transaction at that next epoch.
 */
class CoordinatorLogTest {

    private static final String EVALUATOR = "credpipe-evaluator-1";
    private static final TopicPartition CHANGELOG = new TopicPartition("credpipe-evaluator-evaluator-events-changelog", 0);
    private static final TopicPartition ACHIEVEMENTS = new TopicPartition("achievements", 2);
    private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 6);

    private static Entry entry(String transactionalId, int epoch, TransactionState state, TopicPartition... partitions) {
        return new Entry(transactionalId, 8, (short) epoch, state, Set.of(partitions));
    }

    /** One transaction at {@code epoch} over the three partitions, ended with {@code decision}. */
    private static List<Entry> transaction(int epoch, TransactionState decision, TransactionState completion) {
        return List.of(
                entry(EVALUATOR, epoch, TransactionState.ONGOING, CHANGELOG),
                entry(EVALUATOR, epoch, TransactionState.ONGOING, CHANGELOG, ACHIEVEMENTS),
                entry(EVALUATOR, epoch, TransactionState.ONGOING, CHANGELOG, ACHIEVEMENTS, OFFSETS),
                entry(EVALUATOR, epoch + 1, decision, CHANGELOG, ACHIEVEMENTS, OFFSETS),
                entry(EVALUATOR, epoch + 1, completion));
    }

    private static List<Entry> concat(List<Entry> first, List<Entry> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    @Test
    void aCommittedTransactionIsCommittedOnEachOfItsPartitions() {
        List<Entry> log = transaction(5, TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT);

        assertThat(CoordinatorLog.outcome(log, 8, 5, CHANGELOG)).contains(Outcome.COMMIT);
        assertThat(CoordinatorLog.outcome(log, 8, 5, OFFSETS)).contains(Outcome.COMMIT);
    }

    @Test
    void anAbortedTransactionIsAborted() {
        List<Entry> log = transaction(5, TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT);

        assertThat(CoordinatorLog.outcome(log, 8, 5, ACHIEVEMENTS)).contains(Outcome.ABORT);
    }

    @Test
    void eachTransactionOfTheProducerHasItsOwnDecision() {
        // Epoch 5 committed, epoch 6 (the next transaction, over the same partitions) aborted.
        List<Entry> log = concat(transaction(5, TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT),
                transaction(6, TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT));

        assertThat(CoordinatorLog.outcome(log, 8, 5, CHANGELOG)).contains(Outcome.COMMIT);
        assertThat(CoordinatorLog.outcome(log, 8, 6, CHANGELOG)).contains(Outcome.ABORT);
    }

    @Test
    void otherTransactionalIdsInterleavedDoNotCount() {
        List<Entry> own = transaction(5, TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT);
        Entry issuer = new Entry("credpipe-issuer-1", 9, (short) 5, TransactionState.PREPARE_ABORT, Set.of(CHANGELOG));
        List<Entry> log = List.of(own.get(0), own.get(1), own.get(2), issuer, own.get(3), own.get(4));

        assertThat(CoordinatorLog.outcome(log, 8, 5, CHANGELOG)).contains(Outcome.COMMIT);
    }

    @Test
    void aTransactionWhoseDecisionIsNotInTheLogHasNone() {
        List<Entry> opened = transaction(5, TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT).subList(0, 3);
        assertThat(CoordinatorLog.outcome(opened, 8, 5, CHANGELOG)).as("still open").isEmpty();

        List<Entry> compacted = List.of(entry(EVALUATOR, 7, TransactionState.EMPTY));
        assertThat(CoordinatorLog.outcome(compacted, 8, 5, CHANGELOG)).as("its records compacted away").isEmpty();

        List<Entry> log = transaction(5, TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT);
        assertThat(CoordinatorLog.outcome(log, 8, 5, new TopicPartition("achievements", 0)))
                .as("a partition the transaction never held").isEmpty();
        assertThat(CoordinatorLog.outcome(log, 9, 5, CHANGELOG)).as("another producer").isEmpty();
    }

    @Test
    void aTransactionTheCoordinatorMovedOnFromWithoutADecisionHasNone() {
        // Not a path Kafka's state machine takes (Ongoing goes only to a Prepare state); if the log
        // ever shows it, guessing would risk the wrong end.
        List<Entry> log = List.of(entry(EVALUATOR, 5, TransactionState.ONGOING, CHANGELOG),
                entry(EVALUATOR, 6, TransactionState.EMPTY),
                entry(EVALUATOR, 6, TransactionState.PREPARE_COMMIT, CHANGELOG));

        assertThat(CoordinatorLog.outcome(log, 8, 5, CHANGELOG)).isEmpty();
    }
}
