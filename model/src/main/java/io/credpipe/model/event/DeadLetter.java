package io.credpipe.model.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A record a stage could not process at all, as opposed to one it refused ({@link Rejection}): a
 * defect or an input no rule foresaw. The stage sets it aside with the reason and carries on, so that
 * one record cannot stop the pipeline; someone fixes the cause and re-sends it. The value of the
 * {@code assessments-dead-letter} topic, keyed like the record it holds.
 *
 * @param stage which service and step failed, e.g. {@code evaluator} or {@code evaluator/policy-change}
 * @param reason what went wrong, in words
 * @param failedAt when
 * @param topic the topic the record was read from, when there was one
 * @param partition its partition, when there was one
 * @param offset its offset, when there was one
 * @param original the record's value as received (UTF-8 text), when there was one
 */
public record DeadLetter(
        String stage, String reason, Instant failedAt, String topic, Integer partition, Long offset, String original) {

    public DeadLetter {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failedAt");
    }
}
