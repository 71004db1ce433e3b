package io.credpipe.ingest.intake;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Evidence;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What ingest keeps of an accepted event's content, to tell an exact re-send (a duplicate) from a
 * correction sent under a used id (a conflict), and to name the fields that differ, without keeping
 * the event: 64 bits of SHA-256 over every field decide whether the content is the same (a change
 * passes unseen with probability 2⁻⁶⁴), and 8 bits per field say which differ (a changed field
 * hides with probability 1/256, and the conflict is then reported without a field).
 *
 * <p>The content is the event as the pipeline carries it, after validation: {@code occurredAt} as
 * an instant, so the same moment written with another UTC offset is the same event.
 *
 * @param content the content digest
 * @param fields  one 8-bit hash per entry of {@link #FIELDS}, packed two longs
 */
public record EventFingerprint(long content, long[] fields) {

    private static final MessageDigest SHA_256 = newSha256();

    /** The fields compared, by JSON Pointer; {@code source} and {@code eventId} are the key. */
    public static final List<String> FIELDS = List.of("/type", "/occurredAt", "/operator/id", "/operator/name",
            "/operator/email", "/statementId", "/result", "/assessor/id", "/assessor/name", "/method", "/evidence",
            "/retracts", "/reason");

    /** Creates a fingerprint. */
    public EventFingerprint {
        if (fields.length != 2) {
            throw new IllegalArgumentException("two longs of field hashes");
        }
        fields = fields.clone();
    }

    /**
     * The fingerprint of an event.
     *
     * @param event a valid event
     * @return its fingerprint
     */
    public static EventFingerprint of(AssessmentEvent event) {
        String[] values = {
            event.type().name(),
            event.occurredAt() == null ? null : event.occurredAt().toString(),
            event.operator() == null ? null : event.operator().id(),
            event.operator() == null ? null : event.operator().name(),
            event.operator() == null ? null : event.operator().email(),
            event.statementId(),
            event.result() == null ? null : event.result().name(),
            event.assessor() == null ? null : event.assessor().id(),
            event.assessor() == null ? null : event.assessor().name(),
            event.method(),
            evidence(event.evidence()),
            event.retracts(),
            event.reason(),
        };
        MessageDigest sha256 = sha256();
        long[] fields = new long[2];
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value == null) {
                sha256.update((byte) 0);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                sha256.update((byte) 1);
                int length = bytes.length;
                sha256.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                sha256.update(bytes);
            }
            long hash = mix(value == null ? 0x9E3779B97F4A7C15L : value.hashCode()) & 0xff;
            fields[i / 8] |= hash << (8 * (i % 8));
        }
        return new EventFingerprint(ByteBuffer.wrap(sha256.digest()).getLong(), fields);
    }

    /**
     * Whether another fingerprint has the same content.
     *
     * @param other the other fingerprint
     * @return {@code true} for the same content
     */
    public boolean sameContent(EventFingerprint other) {
        return content == other.content;
    }

    /**
     * The fields whose hashes differ, by JSON Pointer.
     *
     * @param other the other fingerprint
     * @return the fields, in {@link #FIELDS} order; empty when the content is the same or no field hash shows the change
     */
    public List<String> differingFields(EventFingerprint other) {
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            long mine = (fields[i / 8] >>> (8 * (i % 8))) & 0xff;
            long theirs = (other.fields[i / 8] >>> (8 * (i % 8))) & 0xff;
            if (mine != theirs) {
                differing.add(FIELDS.get(i));
            }
        }
        return differing;
    }

    @Override
    public long[] fields() {
        return fields.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventFingerprint that && content == that.content && Arrays.equals(fields, that.fields);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(content) * 31 + Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        return "EventFingerprint[" + Long.toHexString(content) + "]";
    }

    /** The evidence items, each field length-prefixed so that no two lists share a text. */
    private static String evidence(List<Evidence> evidence) {
        if (evidence == null || evidence.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Evidence item : evidence) {
            for (String value : new String[] {item.id(), item.name(), item.narrative()}) {
                text.append(value == null ? "-" : value.length() + ":" + value);
            }
        }
        return text.toString();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /** The finaliser of MurmurHash3: spreads a 32-bit hash over every bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * A fresh SHA-256, cloned from an idle prototype: {@code getInstance} looks the provider up on
     * every call, which showed in the request path's profile (twice per event).
     */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JRE's SHA-256 is cloneable", e);
        }
    }
}
