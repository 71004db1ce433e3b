package io.credpipe.ingest.intake;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
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
 * <p>It also keeps whom the event is about and whether it is a retraction ({@link #subject()}), so
 * that ingest can refuse, before answering, a retraction whose target its source never sent for
 * that operator (issue 16.4): 62 bits of SHA-256 of the operator id, so another operator's event
 * passes for this one's with probability 2⁻⁶².
 *
 * @param content the content digest
 * @param fields  one 8-bit hash per entry of {@link #FIELDS}, packed two longs
 * @param subject the operator digest in the high 62 bits, bit 1 set (a known subject), bit 0 set for
 *                a retraction; {@code 0} when unknown
 */
public record EventFingerprint(long content, long[] fields, long subject) {

    private static final MessageDigest SHA_256 = newSha256();

    /** The fields compared, by JSON Pointer; {@code source} and {@code eventId} are the key. */
    public static final List<String> FIELDS = List.of("/type", "/occurredAt", "/operator/id", "/operator/name",
            "/operator/email", "/statementId", "/result", "/assessor/id", "/assessor/name", "/method", "/evidence",
            "/retracts", "/reason");

    /**
     * A fingerprint of content only, whose subject is unknown.
     *
     * @param content the content digest
     * @param fields  the field hashes
     */
    public EventFingerprint(long content, long[] fields) {
        this(content, fields, 0);
    }

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
        long content = ByteBuffer.wrap(sha256.digest()).getLong();
        return new EventFingerprint(content, fields, subject(event));
    }

    private static long subject(AssessmentEvent event) {
        String operator = event.operatorId() == null ? "" : event.operatorId();
        long digest = ByteBuffer.wrap(sha256().digest(operator.getBytes(StandardCharsets.UTF_8))).getLong();
        return (digest & ~3L) | 2L | (event.type() == AssessmentEventType.RETRACTED ? 1L : 0L);
    }

    /**
     * Whether this event can be retracted by {@code retraction} as far as ingest can tell: it is an
     * assessment (not itself a retraction) about the same operator. The source is the index key's.
     *
     * @param retraction the retraction's fingerprint
     * @return {@code false} when this is a retraction or about another operator; {@code true} also
     *     when either subject is unknown, leaving the decision to the evaluator
     */
    public boolean retractableBy(EventFingerprint retraction) {
        if (subject == 0 || retraction.subject == 0) {
            return true;
        }
        return (subject & 1L) == 0 && (subject >>> 2) == (retraction.subject >>> 2);
    }

    /** Whether this is a retraction; {@code false} when unknown. */
    public boolean retraction() {
        return (subject & 1L) != 0;
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
        return other instanceof EventFingerprint that && content == that.content && subject == that.subject
                && Arrays.equals(fields, that.fields);
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
