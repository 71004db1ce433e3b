package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class LedgerSerdesTest {

    private static final FrameworkId CHEMICAL = new FrameworkId("51-8091.00", "v.26.05");
    private static final String TOPIC = "store-changelog";

    private static <T> T roundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize(TOPIC, value);
        assertThat(bytes[0]).isEqualTo(LedgerSerdes.FORMAT_1);
        return serde.deserializer().deserialize(TOPIC, bytes);
    }

    /** Assessments keep their source (format 2), so that two sources' e1 stay two assessments after a restore. */
    @Test
    void progressWithSourcedAssessmentsIsWrittenInFormat2AndReadsBackEqual() {
        OperatorProgress progress = OperatorProgress.start("acme:E1", CHEMICAL)
                .withAssessment(new io.credpipe.model.framework.StatementId(CHEMICAL, Level.EMERGING, 1),
                        new RecordedAssessment("e1", Instant.parse("2026-01-01T00:00:00Z"), AssessmentResult.PASS, null, null, null, "hr1"))
                .withAssessment(new io.credpipe.model.framework.StatementId(CHEMICAL, Level.EMERGING, 1),
                        new RecordedAssessment("e1", Instant.parse("2026-01-01T00:00:00Z"), AssessmentResult.FAIL, null, null, "r1", "hr2"));
        byte[] bytes = LedgerSerdes.progress().serializer().serialize(TOPIC, progress);

        assertThat(bytes[0]).isEqualTo(LedgerSerdes.FORMAT_2);
        assertThat(LedgerSerdes.progress().deserializer().deserialize(TOPIC, bytes)).isEqualTo(progress);
    }

    @Test
    void progressReadsBackEqualWithEveryOptionalPartPresentOrAbsent() {
        OperatorProgress progress = new OperatorProgress("acme:E1234 — Zoë", CHEMICAL, Instant.parse("2026-05-20T09:30:00.123456789Z"),
                new PolicyRef("plant", 7), Map.of(
                        "emerging/1", List.of(
                                new RecordedAssessment("e1", Instant.parse("2019-12-31T23:59:59Z"), AssessmentResult.FAIL,
                                        new Assessor("acme:S77", "Sam"), "observation", null),
                                new RecordedAssessment("e2", Instant.parse("2020-01-01T00:00:00Z"), AssessmentResult.PASS,
                                        new Assessor("acme:S78", null), null, "r1")),
                        "advanced/10", List.of(new RecordedAssessment("e3", Instant.parse("1969-07-20T20:17:40.5Z"),
                                AssessmentResult.PASS, null, null, null))),
                List.of(new LevelStanding(Level.EMERGING, true, 3), new LevelStanding(Level.DEVELOPING, false, 200),
                        LevelStanding.never(Level.PROFICIENT), LevelStanding.never(Level.ADVANCED)),
                new OperatorContact("acme:E1234 — Zoë", "Zoë", new OperatorContact.Stamp(Instant.parse("2026-05-20T09:30:00Z"), "e2"),
                        null, null));
        assertThat(roundTrip(LedgerSerdes.progress(), progress)).isEqualTo(progress);
        OperatorProgress fresh = OperatorProgress.start("acme:E1", CHEMICAL);
        assertThat(roundTrip(LedgerSerdes.progress(), fresh)).isEqualTo(fresh);
    }

    @Test
    void randomProgressReadsBackEqual() {
        Serde<OperatorProgress> serde = LedgerSerdes.progress();
        Random random = new Random(20261122L);
        for (int n = 0; n < 500; n++) {
            Map<String, List<RecordedAssessment>> assessments = new TreeMap<>();
            int statements = random.nextInt(12);
            for (int s = 0; s < statements; s++) {
                List<RecordedAssessment> history = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    history.add(new RecordedAssessment(text(random), Instant.ofEpochSecond(random.nextLong() >> 30, random.nextInt(1_000_000_000)),
                            random.nextBoolean() ? AssessmentResult.PASS : AssessmentResult.FAIL,
                            random.nextBoolean() ? new Assessor(text(random), random.nextBoolean() ? text(random) : null) : null,
                            random.nextBoolean() ? text(random) : null, random.nextBoolean() ? text(random) : null));
                }
                assessments.put(Level.values()[random.nextInt(4)].id() + "/" + (1 + random.nextInt(40)), history);
            }
            List<LevelStanding> levels = new ArrayList<>();
            for (Level level : Level.values()) {
                int sequence = random.nextInt(3) == 0 ? 0 : random.nextInt(Integer.MAX_VALUE);
                levels.add(new LevelStanding(level, sequence > 0 && random.nextBoolean(), sequence));
            }
            String operatorId = text(random);
            OperatorContact contact = random.nextBoolean() ? null : new OperatorContact(operatorId,
                    random.nextBoolean() ? text(random) : null,
                    random.nextBoolean() ? new OperatorContact.Stamp(Instant.ofEpochSecond(random.nextInt()), text(random)) : null,
                    random.nextBoolean() ? text(random) : null,
                    random.nextBoolean() ? new OperatorContact.Stamp(Instant.ofEpochSecond(random.nextInt(), 7), text(random)) : null);
            OperatorProgress progress = new OperatorProgress(operatorId, CHEMICAL,
                    random.nextBoolean() ? Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)) : null,
                    random.nextBoolean() ? new PolicyRef(text(random), 1 + random.nextInt(Integer.MAX_VALUE)) : null,
                    assessments, levels, contact);
            assertThat(roundTrip(serde, progress)).as("value %d", n).isEqualTo(progress);
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(20); i >= 0; i--) {
            text.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5F));
        }
        return text.toString();
    }

    @Test
    void indexedEventsReadBackEqual() {
        IndexedEvent event = new IndexedEvent("ab".repeat(32), AssessmentEventType.RETRACTED, CHEMICAL);
        assertThat(roundTrip(LedgerSerdes.event(), event)).isEqualTo(event);
    }

    @Test
    void valuesStoredAsJsonByEarlierVersionsStillRead() {
        OperatorProgress progress = OperatorProgress.start("acme:E1", CHEMICAL).withAssessment(
                new io.credpipe.model.framework.StatementId(CHEMICAL, Level.EMERGING, 1),
                new RecordedAssessment("e1", Instant.parse("2026-05-20T09:30:00Z"), AssessmentResult.PASS,
                        new Assessor("acme:S77", null), null, null));
        byte[] json = new JsonSerde<>(OperatorProgress.class).serializer().serialize(TOPIC, progress);
        assertThat(LedgerSerdes.progress().deserializer().deserialize(TOPIC, json)).isEqualTo(progress);
        IndexedEvent event = new IndexedEvent("ab", AssessmentEventType.RECORDED, CHEMICAL);
        assertThat(LedgerSerdes.event().deserializer().deserialize(TOPIC,
                new JsonSerde<>(IndexedEvent.class).serializer().serialize(TOPIC, event))).isEqualTo(event);
    }

    @Test
    void anUnknownFormatOrATruncatedValueIsASerializationError() {
        Serde<OperatorProgress> serde = LedgerSerdes.progress();
        byte[] bytes = serde.serializer().serialize(TOPIC, OperatorProgress.start("acme:E1", CHEMICAL));
        byte[] future = bytes.clone();
        future[0] = 3;
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, future))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format 3");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("corrupt");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("after its end");
    }

    @Test
    void anEventWithItsSourceIsFormat2AndAnEventWithoutOneStaysFormat1() {
        IndexedEvent sourced = new IndexedEvent("ab12", AssessmentEventType.RECORDED, new FrameworkId("51-8091.00", "v.26.05"), "hr1");
        byte[] bytes = LedgerSerdes.event().serializer().serialize(TOPIC, sourced);
        assertThat(bytes[0]).isEqualTo(LedgerSerdes.FORMAT_2);
        assertThat(LedgerSerdes.event().deserializer().deserialize(TOPIC, bytes)).isEqualTo(sourced);

        IndexedEvent legacy = new IndexedEvent("ab12", AssessmentEventType.RECORDED, new FrameworkId("51-8091.00", "v.26.05"));
        byte[] old = LedgerSerdes.event().serializer().serialize(TOPIC, legacy);
        assertThat(old[0]).isEqualTo(LedgerSerdes.FORMAT_1);
        IndexedEvent read = LedgerSerdes.event().deserializer().deserialize(TOPIC, old);
        assertThat(read.source()).isNull();
        assertThat(read.retractableBy("hr2")).as("an event indexed before sources keeps the old rule").isTrue();
    }
}
