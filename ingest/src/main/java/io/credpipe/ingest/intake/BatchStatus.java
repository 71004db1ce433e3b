package io.credpipe.ingest.intake;

import java.util.List;
import java.util.Set;

/**
 * What became of a batch, as {@code GET /v1/batches/{id}} answers it.
 *
 * @param id        the batch id
 * @param accepted  lines that entered the pipeline
 * @param duplicate lines already in it
 * @param rejected  lines refused (each with its reason in the batch's answer, and on {@code assessments-rejected})
 * @param processed accepted events the evaluator has passed, counted by partition: the events of a
 *                  partition count once the evaluator has passed the batch's last offset there
 * @param finished  whether the evaluator has passed every accepted event of the batch and the
 *                  issuer every decision they caused: their consequences (progress, credentials,
 *                  revocations) are visible
 * @param stages    each stage and whether it has passed the batch
 */
public record BatchStatus(String id, int accepted, int duplicate, int rejected, int processed, boolean finished, List<Stage> stages) {

    /** Creates a status. */
    public BatchStatus {
        stages = List.copyOf(stages);
    }

    /**
     * One stage's standing.
     *
     * @param stage  {@code evaluator} or {@code issuer}
     * @param group  its consumer group
     * @param passed whether it has passed the batch
     */
    public record Stage(String stage, String group, boolean passed) {}

    /**
     * The status of a receipt.
     *
     * @param receipt         the batch
     * @param evaluatorGroup  the evaluator's consumer group
     * @param evaluatorPassed the partitions of the batch the evaluator has passed
     * @param issuerGroup     the issuer's consumer group
     * @param issuerPassed    whether the issuer has passed every decision the evaluator made up to
     *                        the moment it was first seen past the whole batch ({@code false} before)
     * @return the status
     */
    public static BatchStatus of(BatchReceipt receipt, String evaluatorGroup, Set<Integer> evaluatorPassed, String issuerGroup,
            boolean issuerPassed) {
        int processed = 0;
        for (var entry : receipt.partitions().entrySet()) {
            if (evaluatorPassed.contains(entry.getKey())) {
                processed += entry.getValue().count();
            }
        }
        boolean evaluated = evaluatorPassed.containsAll(receipt.partitions().keySet());
        boolean issued = evaluated && issuerPassed;
        return new BatchStatus(receipt.id(), receipt.accepted(), receipt.duplicate(), receipt.rejected(), processed, issued,
                List.of(new Stage("evaluator", evaluatorGroup, evaluated), new Stage("issuer", issuerGroup, issued)));
    }
}
