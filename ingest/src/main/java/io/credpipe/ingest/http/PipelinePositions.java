package io.credpipe.ingest.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the stages after ingest are, from their consumer groups' committed positions: the port the
 * batch and pipeline routes read, given by the service root.
 */
public interface PipelinePositions {

    /** The evaluator's consumer group. */
    String evaluatorGroup();

    /** The issuer's consumer group. */
    String issuerGroup();

    /**
     * The partitions of {@code assessments} on which the evaluator has passed the given positions.
     *
     * @param targets per partition, the position to pass
     * @return the partitions passed
     * @throws IllegalStateException when the positions cannot be read now
     */
    Set<Integer> evaluatorPassed(Map<Integer, Long> targets);

    /**
     * The end of {@code achievements} now: every decision made so far lies before it.
     *
     * @return the end per partition
     */
    Map<Integer, Long> decisionsEnd();

    /**
     * Whether the issuer has passed the given positions of {@code achievements} on every partition.
     *
     * @param targets per partition, the position to pass
     * @return whether it has
     */
    boolean issuerPassed(Map<Integer, Long> targets);

    /**
     * Each stage's lag on each topic it reads.
     *
     * @return one entry per stage and topic
     */
    List<StageLag> lag();

    /**
     * How far one stage is behind on one topic.
     *
     * @param stage     {@code evaluator} or {@code issuer}
     * @param group     its consumer group
     * @param topic     the topic it reads
     * @param lag       records (and transaction markers) between its committed positions and the ends
     * @param partitions per partition: {@code end}, {@code committed} ({@code -1} when never) and {@code lag}
     */
    record StageLag(String stage, String group, String topic, long lag, List<PartitionLag> partitions) {}

    /**
     * One partition's lag.
     *
     * @param partition the partition
     * @param end       its end offset
     * @param committed the group's committed position, {@code -1} when it never committed one
     * @param lag       {@code end} minus the committed position (from 0 when never)
     */
    record PartitionLag(int partition, long end, long committed, long lag) {}
}
