package io.credpipe.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text of a rejected input as {@code assessments-rejected} records it. Up to
 * {@link #MAX_BYTES} it is the input itself; beyond, its start, its size and its SHA-256: a
 * rejection must always fit in a Kafka record, or an input too large for one (a 2 MB name, say)
 * would fail the request instead of being refused.
 */
public final class RejectedOriginal {

    /** How much of an input a rejection keeps: far below Kafka's 1 MiB record limit. */
    public static final int MAX_BYTES = 64 * 1024;

    private RejectedOriginal() {}

    /**
     * @param original the input as received
     * @return its UTF-8 text, or, when longer than {@link #MAX_BYTES}, its first bytes (cut at a
     *     character boundary) followed by a note of its size and digest
     */
    public static String text(byte[] original) {
        if (original.length <= MAX_BYTES) {
            return new String(original, StandardCharsets.UTF_8);
        }
        int end = MAX_BYTES;
        // Do not cut a UTF-8 sequence: back up over continuation bytes (10xxxxxx) to a lead byte.
        while (end > 0 && (original[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(original, 0, end, StandardCharsets.UTF_8)
                + "\n[truncated by ingest: " + original.length + " bytes in all, sha-256 " + sha256(original) + "]";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
