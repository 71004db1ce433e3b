package io.credpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.kafka.HangingTransactions.CoordinatorView;
import io.credpipe.app.kafka.HangingTransactions.OpenTransaction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {

    private static final Duration MIN_AGE = Duration.ofSeconds(30);
    private static final TopicPartition CHANGELOG = new TopicPartition("credpipe-evaluator-evaluator-events-changelog", 0);
    private static final long NOW = 1_800_000_000_000L;

    private static OpenTransaction open(long startOffset, long lastWriteMillis) {
        return new OpenTransaction(CHANGELOG, 8, 5, 0, startOffset, lastWriteMillis);
    }

    @Test
    void anOldTransactionTheCoordinatorHasFinishedIsHanging() {
        OpenTransaction stuck = open(31, NOW - 60_000);
        Map<Long, List<CoordinatorView>> coordinator = Map.of(8L, List.of(new CoordinatorView(TransactionState.EMPTY, Set.of())));

        assertThat(HangingTransactions.hanging(List.of(stuck), List.of(stuck), coordinator, NOW, MIN_AGE)).containsExactly(stuck);
    }

    @Test
    void aProducerTheCoordinatorNoLongerKnowsLeavesItHanging() {
        OpenTransaction stuck = open(31, NOW - 60_000);

        assertThat(HangingTransactions.hanging(List.of(stuck), List.of(stuck), Map.of(), NOW, MIN_AGE)).containsExactly(stuck);
    }

    @Test
    void aTransactionTheCoordinatorIsStillWorkingOnIsLeftAlone() {
        OpenTransaction slow = open(31, NOW - 60_000);
        for (TransactionState state : List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE)) {
            Map<Long, List<CoordinatorView>> coordinator = Map.of(8L, List.of(new CoordinatorView(state, Set.of(CHANGELOG))));

            assertThat(HangingTransactions.hanging(List.of(slow), List.of(slow), coordinator, NOW, MIN_AGE)).as(state.toString()).isEmpty();
        }
    }

    @Test
    void anOngoingTransactionOfTheProducerElsewhereDoesNotCoverThisPartition() {
        OpenTransaction stuck = open(31, NOW - 60_000);
        Map<Long, List<CoordinatorView>> coordinator = Map.of(8L, List.of(
                new CoordinatorView(TransactionState.ONGOING, Set.of(new TopicPartition("achievements", 1)))));

        assertThat(HangingTransactions.hanging(List.of(stuck), List.of(stuck), coordinator, NOW, MIN_AGE)).containsExactly(stuck);
    }

    @Test
    void aTransactionSeenOnceOrWrittenLatelyIsNotYetHanging() {
        OpenTransaction now = open(31, NOW - 60_000);
        Map<Long, List<CoordinatorView>> finished = Map.of(8L, List.of(new CoordinatorView(TransactionState.COMPLETE_COMMIT, Set.of())));

        assertThat(HangingTransactions.hanging(List.of(), List.of(now), finished, NOW, MIN_AGE)).as("first sight").isEmpty();
        assertThat(HangingTransactions.hanging(List.of(open(12, NOW - 90_000)), List.of(now), finished, NOW, MIN_AGE))
                .as("a later transaction of the same producer").isEmpty();
        OpenTransaction recent = open(31, NOW - 5_000);
        assertThat(HangingTransactions.hanging(List.of(recent), List.of(recent), finished, NOW, MIN_AGE)).as("written 5 s ago").isEmpty();
    }
}
