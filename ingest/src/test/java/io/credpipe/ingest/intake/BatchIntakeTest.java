package io.credpipe.ingest.intake;

import static io.credpipe.ingest.intake.AssessmentValidatorTest.DESIGN_EXAMPLE;
import static io.credpipe.ingest.intake.AssessmentValidatorTest.edit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.auth.Caller;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.SeedFrameworks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

public class BatchIntakeTest {

    private static final Caller HR1 = new Caller("hr1", false);

    private final FakeSink sink = new FakeSink();
    private final FakeReferences references = new FakeReferences();
    private final BatchIntake intake = new BatchIntake(new AssessmentValidator(), sink, new EventIdIndex(), references,
            e -> e instanceof IllegalStateException, Clock.fixed(Instant.parse("2026-05-20T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void goodLinesAreAcceptedWhenOthersAreBad() throws Exception {
        IntakeReport report = take(
                event("e1"),
                "{\"eventId\": ",
                edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "e3"); e.put("result", "maybe"); }),
                edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "e4"); e.remove("operator"); }),
                event("e5"));

        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(3);
        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.REJECTED, IntakeReport.Status.REJECTED,
                IntakeReport.Status.REJECTED, IntakeReport.Status.ACCEPTED);
        assertThat(report.lines().get(1).reason()).isEqualTo("malformed_json");
        assertThat(report.lines().get(2).reason()).isEqualTo("invalid_field");
        assertThat(report.lines().get(2).errors()).extracting(e -> e.pointer()).containsExactly("/result");
        assertThat(report.lines().get(3).reason()).isEqualTo("missing_operator");
        assertThat(sink.events).extracting(AssessmentEvent::eventId).containsExactly("e1", "e5");
        assertThat(report.lines()).extracting(IntakeReport.Line::offset).as("accepted lines say where they are in the log")
                .containsExactly(0L, null, null, null, 1L);
        assertThat(sink.rejections).extracting(Rejection::reason).containsExactly(
                RejectionReason.MALFORMED_JSON, RejectionReason.INVALID_FIELD, RejectionReason.MISSING_OPERATOR);
        assertThat(sink.rejections.get(1).original()).contains("maybe");
    }

    @Test
    void anEventIdEntersOnceWithinAndAcrossBatches() throws Exception {
        IntakeReport first = take(event("e1"), event("e1"), event("e2"));
        IntakeReport second = take(event("e2"), event("e3"));

        assertThat(first.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.DUPLICATE, IntakeReport.Status.ACCEPTED);
        assertThat(second.duplicate()).isEqualTo(1);
        assertThat(second.accepted()).isEqualTo(1);
        assertThat(sink.events).extracting(AssessmentEvent::eventId).containsExactly("e1", "e2", "e3");
    }

    /** Issue 16.2: an event id is the sending system's key; two HR systems may use the same one. */
    @Test
    void theSameEventIdFromAnotherSourceIsAnotherEvent() throws Exception {
        take(event("e1"));

        IntakeReport fromHr2 = intake.take(new Caller("hr2", false), lines(edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", "e1");
            e.put("source", "hr2");
        })), System.nanoTime() + Duration.ofSeconds(5).toNanos());

        assertThat(fromHr2.lines().get(0).status()).isEqualTo(IntakeReport.Status.ACCEPTED);
        assertThat(sink.events).extracting(AssessmentEvent::source).containsExactly("hr1", "hr2");
    }

    /** Issue 16.3: only an exact re-send is a duplicate; a correction under the same id is refused, naming the field. */
    @Test
    void aCorrectionUnderTheSameIdIsAConflictNamingTheField() throws Exception {
        take(event("e1"));
        String corrected = edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "e1"); e.put("result", "fail"); });

        IntakeReport report = take(corrected, event("e1"), corrected);

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.REJECTED, IntakeReport.Status.DUPLICATE, IntakeReport.Status.REJECTED);
        IntakeReport.Line conflict = report.lines().get(0);
        assertThat(conflict.reason()).isEqualTo("conflicting_duplicate");
        assertThat(conflict.errors()).extracting(e -> e.pointer()).containsExactly("/result");
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections).extracting(Rejection::reason).containsOnly(RejectionReason.CONFLICTING_DUPLICATE);
        assertThat(sink.rejections.get(0).original()).contains("\"fail\"");
    }

    @Test
    void aConflictWithinOneBatchIsRefused() throws Exception {
        IntakeReport report = take(event("e1"), edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", "e1");
            ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("operator")).put("email", "dana.ruiz@example.com");
        }));

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.REJECTED);
        assertThat(report.lines().get(1).errors()).extracting(e -> e.pointer()).containsExactly("/operator/email");
        assertThat(report.lines().get(1).errors().get(0).detail()).doesNotContain("dana");
    }

    @Test
    void anotherSourcesEventIsRefusedAndNotWritten() throws Exception {
        IntakeReport report = take(edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "x1"); e.put("source", "hr2"); }));

        IntakeReport.Line line = report.lines().get(0);
        assertThat(line.status()).isEqualTo(IntakeReport.Status.REJECTED);
        assertThat(line.reason()).isEqualTo(BatchIntake.FORBIDDEN_SOURCE);
        assertThat(line.errors()).extracting(e -> e.pointer()).containsExactly("/source");
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).isEmpty();
    }

    /** Issue 16.4: a statement in no loaded framework is refused before the answer, and recorded. */
    @Test
    void aStatementNoLoadedFrameworkHasIsRefusedAndRecorded() throws Exception {
        IntakeReport report = take(
                edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "s1"); e.put("statementId", "51-8091.00@v.26.05/emerging/99"); }),
                edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "s2"); e.put("statementId", "99-9999.00@v.1/emerging/1"); }),
                event("s3"));

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.REJECTED, IntakeReport.Status.REJECTED, IntakeReport.Status.ACCEPTED);
        assertThat(report.lines()).extracting(IntakeReport.Line::reason).containsExactly("unknown_statement", "unknown_framework", null);
        assertThat(report.lines().get(0).errors()).extracting(e -> e.pointer()).containsExactly("/statementId");
        assertThat(sink.events).extracting(AssessmentEvent::eventId).containsExactly("s3");
        assertThat(sink.rejections).extracting(Rejection::reason).containsExactly(
                RejectionReason.UNKNOWN_STATEMENT, RejectionReason.UNKNOWN_FRAMEWORK);
        assertThat(sink.rejections).extracting(Rejection::stage).containsOnly("ingest");
        assertThat(sink.rejections.get(0).pointer()).isEqualTo("/statementId");
        assertThat(references.catchUps).as("one catch-up per request, not per line").isEqualTo(1);
    }

    /** A framework published a moment ago, not yet read from the topic, is not a reason to refuse. */
    @Test
    void aMissIsRefusedOnlyAfterCatchingUpWithTheTopics() throws Exception {
        Framework seed = references.loaded.remove(0);
        references.onCatchUp = () -> references.loaded.add(seed);

        IntakeReport report = take(event("c1"));

        assertThat(report.lines().get(0).status()).isEqualTo(IntakeReport.Status.ACCEPTED);
        assertThat(references.catchUps).isEqualTo(1);
    }

    /** A miss that cannot be checked against the topics is not a refusal: the request is a 503, to be resent. */
    @Test
    void aMissThatCannotBeCheckedIsUnavailableNotRefused() {
        references.reachable = false;

        assertThatThrownBy(() -> take(retraction("u1", "never-read"))).isInstanceOf(BatchIntake.Unavailable.class);
        assertThat(sink.rejections).isEmpty();
    }

    /** Issue 16.4: a retraction is checked against its own source's events about the same operator. */
    @Test
    void aRetractionMustNameAnAssessmentItsSourceSentAboutTheSameOperator() throws Exception {
        Caller hr2 = new Caller("hr2", false);
        take(event("a1"));
        intake.take(hr2, lines(edit(DESIGN_EXAMPLE, e -> { e.put("eventId", "b1"); e.put("source", "hr2"); })),
                System.nanoTime() + Duration.ofSeconds(5).toNanos());
        take(edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", "other1");
            ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("operator")).put("id", "acme:E9999");
        }));

        IntakeReport report = take(
                retraction("r1", "nothing-like-it"),
                retraction("r2", "b1"), // hr2's event: not hr1's to retract
                retraction("r3", "other1"), // hr1's, but about another operator
                retraction("r4", "a1"),
                retraction("r5", "r4")); // a retraction cannot be retracted

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.REJECTED, IntakeReport.Status.REJECTED, IntakeReport.Status.REJECTED,
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.REJECTED);
        assertThat(report.lines()).extracting(IntakeReport.Line::reason).containsExactly(
                "unknown_retraction_target", "unknown_retraction_target", "unknown_retraction_target", null, "unknown_retraction_target");
        assertThat(report.lines().get(0).errors()).extracting(e -> e.pointer()).containsExactly("/retracts");
        assertThat(report.lines().get(4).detail()).contains("itself a retraction");
        assertThat(sink.rejections).extracting(Rejection::reason).containsOnly(RejectionReason.UNKNOWN_RETRACTION_TARGET).hasSize(4);

        // hr2 may retract its own b1.
        IntakeReport own = intake.take(hr2, lines(edit(retraction("r6", "b1"), e -> e.put("source", "hr2"))),
                System.nanoTime() + Duration.ofSeconds(5).toNanos());
        assertThat(own.lines().get(0).status()).isEqualTo(IntakeReport.Status.ACCEPTED);
    }

    @Test
    void aRetractionMayFollowItsTargetInTheSameBatch() throws Exception {
        IntakeReport report = take(event("t1"), retraction("t2", "t1"));

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.ACCEPTED);
    }

    @Test
    void anUnacknowledgedWriteFailsTheRequestAndOnlyWhatWasAcknowledgedCountsAsIn() {
        sink.failing.add("e2");

        assertThatThrownBy(() -> take(event("e1"), event("e2"))).isInstanceOf(BatchIntake.Unavailable.class);

        sink.failing.clear();
        IntakeReport retry = assertDoesNotThrow(() -> take(event("e1"), event("e2")));
        assertThat(retry.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.DUPLICATE, IntakeReport.Status.ACCEPTED);
    }

    @Test
    void aWriteNeverAcknowledgedByTheDeadlineIsUnavailable() {
        sink.hanging = true;

        long started = System.nanoTime();
        assertThatThrownBy(() -> intake.take(HR1, lines(event("e1")), System.nanoTime() + Duration.ofMillis(200).toNanos()))
                .isInstanceOf(BatchIntake.Unavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aConcurrentRequestForTheSameIdWaitsForTheFirstWrite() throws Exception {
        sink.hanging = true;
        CompletableFuture<IntakeReport> first = CompletableFuture.supplyAsync(() -> assertDoesNotThrow(() -> take(event("e1"))));
        while (sink.pending.isEmpty()) {
            Thread.onSpinWait();
        }
        CompletableFuture<IntakeReport> second = CompletableFuture.supplyAsync(() -> assertDoesNotThrow(() -> take(event("e1"))));
        Thread.sleep(100);
        assertThat(second).isNotDone();

        sink.pending.get(0).complete(null);

        assertThat(first.get().lines().get(0).status()).isEqualTo(IntakeReport.Status.ACCEPTED);
        assertThat(second.get().lines().get(0).status()).isEqualTo(IntakeReport.Status.DUPLICATE);
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void aPermanentWriteFailureIsNotAnOutage() {
        sink.permanent = true;

        assertThatThrownBy(() -> take(event("e1"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRecordTooLargeForKafkaIsRefusedAndRecordedWhileTheOthersGoIn() throws Exception {
        sink.tooLarge.add("e2");

        IntakeReport report = take(event("e1"), event("e2"), event("e3"));

        assertThat(report.lines()).extracting(IntakeReport.Line::status).containsExactly(
                IntakeReport.Status.ACCEPTED, IntakeReport.Status.REJECTED, IntakeReport.Status.ACCEPTED);
        assertThat(report.lines().get(1).reason()).isEqualTo("record_too_large");
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.RECORD_TOO_LARGE);
            assertThat(r.eventId()).isEqualTo("e2");
            assertThat(r.original()).contains("\"e2\"");
        });
        // Not recorded as seen: the same id, made smaller, can be sent again.
        sink.tooLarge.clear();
        assertThat(take(event("e2")).lines().get(0).status()).isEqualTo(IntakeReport.Status.ACCEPTED);
    }

    @Test
    void aRejectionKeepsTheStartSizeAndDigestOfAHugeInputSoThatItFitsARecord() throws Exception {
        String huge = edit(DESIGN_EXAMPLE, e -> {
            e.put("eventId", "e1");
            ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("operator")).put("name", "n".repeat(2_000_000));
        });

        IntakeReport report = take(huge);

        assertThat(report.lines().get(0).reason()).isEqualTo("invalid_field");
        String original = sink.rejections.get(0).original();
        assertThat(original.length()).isLessThan(RejectedOriginal.MAX_BYTES + 200);
        assertThat(original).startsWith(huge.substring(0, 100))
                .contains("[truncated by ingest: " + huge.length() + " bytes in all, sha-256 ");
    }

    private IntakeReport take(String... jsonLines) throws BatchIntake.Unavailable {
        return intake.take(HR1, lines(jsonLines), System.nanoTime() + Duration.ofSeconds(5).toNanos());
    }

    private static List<BatchIntake.Line> lines(String... jsonLines) {
        List<BatchIntake.Line> lines = new ArrayList<>();
        for (int i = 0; i < jsonLines.length; i++) {
            byte[] bytes = jsonLines[i].getBytes(StandardCharsets.UTF_8);
            lines.add(new BatchIntake.Line(i + 1, bytes, bytes));
        }
        return lines;
    }

    public static String event(String eventId) {
        return edit(DESIGN_EXAMPLE, e -> e.put("eventId", eventId));
    }

    static String retraction(String eventId, String retracts) {
        return edit(AssessmentValidatorTest.RETRACTION, e -> { e.put("eventId", eventId); e.put("retracts", retracts); });
    }

    /** The bundled frameworks, loaded; a catch-up may run an action (a framework arriving late). */
    static final class FakeReferences implements KnownReferences {
        final List<Framework> loaded = new java.util.concurrent.CopyOnWriteArrayList<>(SeedFrameworks.load());
        volatile Runnable onCatchUp = () -> { };
        volatile boolean reachable = true;
        volatile int catchUps;

        @Override
        public java.util.Optional<Framework> framework(FrameworkId id) {
            return loaded.stream().filter(f -> f.id().equals(id)).findFirst();
        }

        @Override
        public boolean catchUp() {
            catchUps++;
            onCatchUp.run();
            return reachable;
        }
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    private static <T> T assertDoesNotThrow(Action<T> action) {
        try {
            return action.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Acknowledges at once, unless told to fail an id, fail for good, or hold writes. */
    private static final class FakeSink implements EventSink {
        final List<AssessmentEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Rejection> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> failing = new ArrayList<>();
        final List<CompletableFuture<LogPosition>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean hanging;
        volatile boolean permanent;
        final List<String> tooLarge = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<LogPosition> publish(AssessmentEvent event) {
            if (tooLarge.contains(event.eventId())) {
                return CompletableFuture.failedFuture(new RecordTooLarge(2_000_123, 1_000_000));
            }
            if (failing.contains(event.eventId())) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            if (permanent) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("record too large"));
            }
            events.add(event);
            if (hanging) {
                CompletableFuture<LogPosition> ack = new CompletableFuture<>();
                pending.add(ack);
                return ack;
            }
            return CompletableFuture.completedFuture(new LogPosition(0, events.size() - 1));
        }

        @Override
        public CompletableFuture<?> publishRejection(Rejection rejection) {
            rejections.add(rejection);
            return CompletableFuture.completedFuture(null);
        }
    }
}
