package io.credpipe.ingest.intake;

/**
 * Where an accepted event is in the log: its partition and offset on {@code assessments}.
 *
 * @param partition the partition
 * @param offset    the offset in it
 */
public record LogPosition(int partition, long offset) {}
