package io.credpipe.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The receipt of one batch ({@code POST /v1/assessments} with NDJSON, or an import): what it took
 * in, and where its accepted events are in the log. The batch is processed once every stage after
 * ingest has passed, on every partition, the last offset of the batch there.
 *
 * <p>The receipt is its own id: the counts and, per partition, how many events and the last offset,
 * with a random nonce, as base64url text. Any ingest instance can therefore answer
 * {@code GET /v1/batches/{id}}, after a restart too, without storing batches; the id names nothing
 * a client could not already see in its answer. A forged id only makes the server compare offsets.
 *
 * @param nonce      random text that keeps two batches with the same counts apart
 * @param accepted   lines that entered the pipeline
 * @param duplicate  lines already in it
 * @param rejected   lines refused
 * @param partitions per partition of {@code assessments}: the batch's events there and the last offset
 */
public record BatchReceipt(String nonce, int accepted, int duplicate, int rejected, SortedMap<Integer, Span> partitions) {

    private static final String VERSION = "b1";

    /**
     * The batch's events on one partition.
     *
     * @param count      how many
     * @param lastOffset the highest offset among them
     */
    public record Span(int count, long lastOffset) {}

    /** Creates a receipt. */
    public BatchReceipt {
        if (nonce.isEmpty() || nonce.contains("|")) {
            throw new IllegalArgumentException("a nonce is non-empty and has no |");
        }
        partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    }

    /**
     * The receipt of a report whose accepted lines carry their place in the log.
     *
     * @param report the batch's report
     * @param nonce  random text, e.g. 64 random bits in hex
     * @return the receipt
     */
    public static BatchReceipt of(IntakeReport report, String nonce) {
        SortedMap<Integer, Span> partitions = new TreeMap<>();
        for (IntakeReport.Line line : report.lines()) {
            if (line.status() == IntakeReport.Status.ACCEPTED && line.partition() != null) {
                partitions.merge(line.partition(), new Span(1, line.offset()),
                        (a, b) -> new Span(a.count() + b.count(), Math.max(a.lastOffset(), b.lastOffset())));
            }
        }
        return new BatchReceipt(nonce, report.accepted(), report.duplicate(), report.rejected(), partitions);
    }

    /** The receipt's id, which is also the receipt. */
    public String id() {
        StringBuilder text = new StringBuilder(VERSION).append('|').append(nonce).append('|').append(accepted).append('|')
                .append(duplicate).append('|').append(rejected).append('|');
        partitions.forEach((partition, span) -> text.append(partition).append(':').append(span.count()).append(':')
                .append(span.lastOffset()).append(','));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a receipt id.
     *
     * @param id an id from {@link #id()}
     * @return the receipt, or empty when {@code id} is not one
     */
    public static Optional<BatchReceipt> parse(String id) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 6 || !VERSION.equals(parts[0])) {
                return Optional.empty();
            }
            SortedMap<Integer, Span> partitions = new TreeMap<>();
            for (String entry : parts[5].split(",")) {
                if (entry.isEmpty()) {
                    continue;
                }
                String[] fields = entry.split(":");
                partitions.put(Integer.parseInt(fields[0]), new Span(Integer.parseInt(fields[1]), Long.parseLong(fields[2])));
            }
            return Optional.of(new BatchReceipt(parts[1], Integer.parseInt(parts[2]), Integer.parseInt(parts[3]),
                    Integer.parseInt(parts[4]), partitions));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Per partition, the position a stage's consumer group must reach to have passed the batch there. */
    public Map<Integer, Long> ends() {
        Map<Integer, Long> ends = new TreeMap<>();
        partitions.forEach((partition, span) -> ends.put(partition, span.lastOffset() + 1));
        return ends;
    }
}
