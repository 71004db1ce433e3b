package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchReceiptTest {

    private static IntakeReport.Line accepted(int line, int partition, long offset) {
        return new IntakeReport.Line(line, "e" + line, IntakeReport.Status.ACCEPTED, null, null, null).at(new LogPosition(partition, offset));
    }

    private final BatchReceipt receipt = BatchReceipt.of(IntakeReport.of(List.of(
            accepted(1, 0, 40), accepted(2, 1, 7), accepted(3, 0, 42),
            new IntakeReport.Line(4, "e4", IntakeReport.Status.DUPLICATE, null, null, null),
            new IntakeReport.Line(5, "e5", IntakeReport.Status.REJECTED, "invalid_field", "bad", null))), "5eed");

    @Test
    void theIdIsTheReceiptAndReadsBack() {
        assertThat(BatchReceipt.parse(receipt.id())).contains(receipt);
        assertThat(receipt.accepted()).isEqualTo(3);
        assertThat(receipt.duplicate()).isEqualTo(1);
        assertThat(receipt.rejected()).isEqualTo(1);
        assertThat(receipt.ends()).containsEntry(0, 43L).containsEntry(1, 8L).hasSize(2);
        for (String garbage : new String[] {"", "x", "Yjd8eHw", "***", BatchReceipt.of(IntakeReport.of(List.of()), "n").id() + "A"}) {
            assertThat(BatchReceipt.parse(garbage)).as(garbage).isEmpty();
        }
    }

    @Test
    void processedCountsTheEventsOfPassedPartitionsAndFinishedNeedsBothStages() {
        BatchStatus partly = BatchStatus.of(receipt, "ev", Set.of(0), "is", false);
        assertThat(partly.processed()).isEqualTo(2);
        assertThat(partly.finished()).isFalse();

        BatchStatus evaluated = BatchStatus.of(receipt, "ev", Set.of(0, 1), "is", false);
        assertThat(evaluated.processed()).isEqualTo(3);
        assertThat(evaluated.finished()).isFalse();
        assertThat(evaluated.stages()).extracting(BatchStatus.Stage::passed).containsExactly(true, false);

        assertThat(BatchStatus.of(receipt, "ev", Set.of(0, 1), "is", true).finished()).isTrue();
        assertThat(BatchStatus.of(receipt, "ev", Set.of(1), "is", true).finished()).as("the issuer cannot pass what is not evaluated").isFalse();
    }
}
