package io.credpipe.ingest.intake;

/**
 * A record larger than Kafka takes: what an {@link EventSink} (or the framework port) fails a write
 * with, so that the intake can refuse the input (413) instead of failing the request (500). Retrying
 * cannot help, so it is never a transient failure.
 */
public final class RecordTooLarge extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long bytes;
    private final long limit;

    /**
     * @param bytes the record's size, or -1 when only the broker knew it
     * @param limit the largest record taken, or -1 when the broker's own limit refused it
     */
    public RecordTooLarge(long bytes, long limit) {
        super(describe(bytes, limit), null, false, false);
        this.bytes = bytes;
        this.limit = limit;
    }

    /** The record's size in bytes, or -1 when unknown. */
    public long bytes() {
        return bytes;
    }

    /** The largest record taken, in bytes, or -1 when unknown. */
    public long limit() {
        return limit;
    }

    private static String describe(long bytes, long limit) {
        String size = bytes < 0 ? "the record" : "the record of " + bytes + " bytes";
        String most = limit < 0 ? "the largest the Kafka cluster takes" : "the largest taken, " + limit + " bytes";
        return size + " is larger than " + most;
    }
}
