package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.IndexedEvent;
import io.credpipe.evaluator.rule.LevelStanding;
import io.credpipe.evaluator.rule.OperatorContact;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.evaluator.rule.RecordedAssessment;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.topics.serde.JsonSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary formats of the evaluator's state-store values ({@link OperatorProgress} with its
 * {@link OperatorContact}, {@link IndexedEvent}). Every event reads and rewrites an operator's whole
 * progress, so its encoding is on the hot path: JSON cost about a quarter of the evaluator's CPU.
 *
 * <p>Each value starts with a format byte, {@value #FORMAT_1} for the layout below, so that a later
 * layout can be told apart and read alongside. Values written as JSON by earlier versions (they start
 * with <code>'{'</code>) are still read. Strings are a varint byte length and UTF-8; integers varints;
 * instants a varint of epoch seconds (zig-zag) and a varint of nanoseconds; an optional value a
 * presence byte (0 or 1) then the value.
 *
 * <pre>
 * progress: format, operatorId, soc, version, asOf?, (policy id, policy version)?,
 *           4 × (met byte, sequence), statement count, per statement: key, assessment count,
 *           per assessment: eventId, occurredAt, result (0 pass, 1 fail), (assessor id, name?)?, method?, retractedBy?,
 *           and in {@value #FORMAT_2} then source?,
 *           then the contact? as name?, (occurredAt, eventId)?, email?, (occurredAt, eventId)?
 * event:    format, contentHash, type (0 recorded, 1 retracted), soc, version
 *           and in {@value #FORMAT_2}, then the source
 * </pre>
 *
 * <p>A progress is written in {@value #FORMAT_2} when one of its assessments has a source, else in
 * {@value #FORMAT_1}. An event is written in {@value #FORMAT_1} when it has no source (indexed before sources were
 * recorded) and in {@value #FORMAT_2} otherwise; both are read, so stores written before keep working.
 */
public final class LedgerSerdes {

    /** The format byte of the layout above. */
    public static final byte FORMAT_1 = 1;
    /** The format byte of an event with its source. */
    public static final byte FORMAT_2 = 2;
    private static final byte JSON_START = '{';

    private LedgerSerdes() {}

    /** The serde of {@link OperatorProgress}. */
    public static Serde<OperatorProgress> progress() {
        return new Compact<>(OperatorProgress.class) {
            /** Consecutive values name the same few frameworks: skip the id's validation when it repeats. */
            private FrameworkId lastFramework;

            @Override
            byte format(OperatorProgress value) {
                // A loop, not a stream: this runs for every progress written, on every event.
                for (List<RecordedAssessment> history : value.assessments().values()) {
                    for (RecordedAssessment assessment : history) {
                        if (assessment.source() != null) {
                            return FORMAT_2;
                        }
                    }
                }
                return FORMAT_1;
            }

            @Override
            boolean reads(byte format) {
                return format == FORMAT_1 || format == FORMAT_2;
            }

            @Override
            void write(OperatorProgress value, LedgerBytes.Out out) {
                boolean sourced = out.format == FORMAT_2;
                out.string(value.operatorId());
                out.string(value.framework().soc());
                out.string(value.framework().version());
                out.optionalInstant(value.asOf());
                out.presence(value.policy() != null);
                if (value.policy() != null) {
                    out.string(value.policy().id());
                    out.varint(value.policy().version());
                }
                for (LevelStanding standing : value.levels()) {
                    out.presence(standing.met());
                    out.varint(standing.sequence());
                }
                out.varint(value.assessments().size());
                for (Map.Entry<String, List<RecordedAssessment>> statement : value.assessments().entrySet()) {
                    out.string(statement.getKey());
                    out.varint(statement.getValue().size());
                    for (RecordedAssessment a : statement.getValue()) {
                        out.string(a.eventId());
                        out.instant(a.occurredAt());
                        out.varint(a.result() == AssessmentResult.PASS ? 0 : 1);
                        out.presence(a.assessor() != null);
                        if (a.assessor() != null) {
                            out.string(a.assessor().id());
                            out.optionalString(a.assessor().name());
                        }
                        out.optionalString(a.method());
                        out.optionalString(a.retractedBy());
                        if (sourced) {
                            out.optionalString(a.source());
                        }
                    }
                }
                OperatorContact contact = value.contact();
                out.presence(contact != null);
                if (contact != null) {
                    out.optionalString(contact.name());
                    stamp(contact.nameSentBy(), out);
                    out.optionalString(contact.email());
                    stamp(contact.emailSentBy(), out);
                }
            }

            private void stamp(OperatorContact.Stamp stamp, LedgerBytes.Out out) {
                out.presence(stamp != null);
                if (stamp != null) {
                    out.instant(stamp.occurredAt());
                    out.string(stamp.eventId());
                }
            }

            private OperatorContact.Stamp stamp(LedgerBytes.In in) {
                return in.present() ? new OperatorContact.Stamp(in.instant(), in.string()) : null;
            }

            @Override
            OperatorProgress read(LedgerBytes.In in) {
                String operatorId = in.string();
                FrameworkId framework = framework(in.string(), in.string());
                Instant asOf = in.optionalInstant();
                PolicyRef policy = in.present() ? new PolicyRef(in.string(), in.varint()) : null;
                List<LevelStanding> levels = new ArrayList<>(Level.values().length);
                for (Level level : Level.values()) {
                    boolean met = in.present();
                    levels.add(new LevelStanding(level, met, in.varint()));
                }
                int statements = in.varint();
                Map<String, List<RecordedAssessment>> assessments = new TreeMap<>();
                for (int s = 0; s < statements; s++) {
                    String key = in.string();
                    int count = in.varint();
                    List<RecordedAssessment> history = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        String eventId = in.string();
                        Instant occurredAt = in.instant();
                        AssessmentResult result = in.varint() == 0 ? AssessmentResult.PASS : AssessmentResult.FAIL;
                        Assessor assessor = in.present() ? new Assessor(in.string(), in.optionalString()) : null;
                        String method = in.optionalString();
                        String retractedBy = in.optionalString();
                        history.add(new RecordedAssessment(eventId, occurredAt, result, assessor, method, retractedBy,
                                in.format == FORMAT_2 ? in.optionalString() : null));
                    }
                    assessments.put(key, history);
                }
                OperatorContact contact = null;
                if (in.present()) {
                    String name = in.optionalString();
                    OperatorContact.Stamp nameSentBy = stamp(in);
                    String email = in.optionalString();
                    contact = new OperatorContact(operatorId, name, nameSentBy, email, stamp(in));
                }
                return new OperatorProgress(operatorId, framework, asOf, policy, assessments, levels, contact);
            }

            private FrameworkId framework(String soc, String version) {
                FrameworkId last = lastFramework;
                if (last != null && last.soc().equals(soc) && last.version().equals(version)) {
                    return last;
                }
                lastFramework = new FrameworkId(soc, version);
                return lastFramework;
            }
        };
    }

    /** The serde of {@link IndexedEvent}. */
    public static Serde<IndexedEvent> event() {
        return new Compact<>(IndexedEvent.class) {
            private FrameworkId lastFramework;

            @Override
            boolean reads(byte format) {
                return format == FORMAT_1 || format == FORMAT_2;
            }

            @Override
            byte format(IndexedEvent value) {
                return value.source() == null ? FORMAT_1 : FORMAT_2;
            }

            @Override
            void write(IndexedEvent value, LedgerBytes.Out out) {
                out.string(value.contentHash());
                out.varint(value.type() == AssessmentEventType.RECORDED ? 0 : 1);
                out.string(value.framework().soc());
                out.string(value.framework().version());
                if (value.source() != null) {
                    out.string(value.source());
                }
            }

            @Override
            IndexedEvent read(LedgerBytes.In in) {
                String hash = in.string();
                AssessmentEventType type = in.varint() == 0 ? AssessmentEventType.RECORDED : AssessmentEventType.RETRACTED;
                String soc = in.string();
                String version = in.string();
                FrameworkId last = lastFramework;
                if (last == null || !last.soc().equals(soc) || !last.version().equals(version)) {
                    last = new FrameworkId(soc, version);
                    lastFramework = last;
                }
                return new IndexedEvent(hash, type, last, in.format == FORMAT_2 ? in.string() : null);
            }
        };
    }

    /** A serde writing a format byte and its layout, and reading those or, from earlier versions, JSON. */
    private abstract static class Compact<T> implements Serde<T> {
        private final Class<T> type;
        private final Deserializer<T> json;

        Compact(Class<T> type) {
            this.type = type;
            this.json = new JsonSerde<>(type).deserializer();
        }

        /** The format {@code value} is written in: the oldest that can carry it. */
        byte format(T value) {
            return FORMAT_1;
        }

        /** Whether this serde reads values that start with {@code format}. */
        boolean reads(byte format) {
            return format == FORMAT_1;
        }

        abstract void write(T value, LedgerBytes.Out out);

        abstract T read(LedgerBytes.In in);

        @Override
        public Serializer<T> serializer() {
            return (topic, value) -> {
                if (value == null) {
                    return null;
                }
                LedgerBytes.Out out = new LedgerBytes.Out(format(value));
                write(value, out);
                return Arrays.copyOf(out.bytes, out.size);
            };
        }

        @Override
        public Deserializer<T> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length > 0 && bytes[0] == JSON_START) {
                    return json.deserialize(topic, bytes);
                }
                if (bytes.length == 0 || !reads(bytes[0])) {
                    throw new SerializationException("stored " + type.getSimpleName() + " has unknown format "
                            + (bytes.length == 0 ? "(empty)" : bytes[0]));
                }
                LedgerBytes.In in = new LedgerBytes.In(bytes);
                try {
                    T value = read(in);
                    if (in.at != bytes.length) {
                        throw new SerializationException("stored " + type.getSimpleName() + " has " + (bytes.length - in.at)
                                + " bytes after its end");
                    }
                    return value;
                } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
                    throw new SerializationException("stored " + type.getSimpleName() + " is corrupt: " + e.getMessage(), e);
                }
            };
        }
    }
}
