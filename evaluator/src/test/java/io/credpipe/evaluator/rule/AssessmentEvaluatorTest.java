package io.credpipe.evaluator.rule;

import static io.credpipe.evaluator.rule.TestEvents.ASSESSOR;
import static io.credpipe.evaluator.rule.TestEvents.OPERATOR_ID;
import static io.credpipe.evaluator.rule.TestEvents.SMALL;
import static io.credpipe.evaluator.rule.TestEvents.at;
import static io.credpipe.evaluator.rule.TestEvents.bytes;
import static io.credpipe.evaluator.rule.TestEvents.fail;
import static io.credpipe.evaluator.rule.TestEvents.pass;
import static io.credpipe.evaluator.rule.TestEvents.retract;
import static io.credpipe.evaluator.rule.TestEvents.small;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.stream.LedgerKey;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssessmentEvaluatorTest {

    /** The evaluator's wall clock: well after the test events, which happen on 2026-01-01. */
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<Framework> loaded = new ArrayList<>(List.of(SMALL));
    private final MapLedger ledger = new MapLedger();
    private AssessmentEvaluator evaluator = evaluator(LevelPolicies.defaults());

    private AssessmentEvaluator evaluator(LevelPolicies policies) {
        return new AssessmentEvaluator(id -> loaded.stream().filter(f -> f.id().equals(id)).findFirst(), policies,
                Clock.fixed(NOW, ZoneOffset.UTC), AssessmentEvaluator.DEFAULT_MAX_CLOCK_SKEW);
    }

    private Verdict evaluate(AssessmentEvent event) {
        return evaluator.evaluate(event.operatorId(), bytes(event), ledger);
    }

    private List<LevelDecision> accept(AssessmentEvent event) {
        Verdict verdict = evaluate(event);
        assertThat(verdict).as("verdict on %s", event.eventId()).isInstanceOf(Verdict.Accepted.class);
        return ((Verdict.Accepted) verdict).decisions();
    }

    private Verdict.Rejected reject(String key, byte[] value) {
        List<Object> before = ledgerSnapshot();
        Verdict verdict = evaluator.evaluate(key, value, ledger);
        assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
        assertThat(ledgerSnapshot()).as("a rejected event leaves no trace in the ledger").isEqualTo(before);
        return (Verdict.Rejected) verdict;
    }

    private List<Object> ledgerSnapshot() {
        return List.of(Map.copyOf(ledger.events), Map.copyOf(ledger.progress));
    }

    private Rejection reject(AssessmentEvent event, RejectionReason reason) {
        Verdict.Rejected rejected = reject(event.operatorId(), bytes(event));
        assertThat(rejected.rejection().reason()).isEqualTo(reason);
        assertThat(rejected.key()).isEqualTo(event.eventId());
        return rejected.rejection();
    }

    private void meetEmerging(String prefix) {
        accept(pass(prefix + "1", at(1), small(Level.EMERGING, 1)));
        accept(pass(prefix + "2", at(2), small(Level.EMERGING, 2)));
        assertThat(accept(pass(prefix + "3", at(3), small(Level.EMERGING, 3)))).hasSize(1);
    }

    @Test
    void anAcceptedEventIsRememberedAndItsDecisionsReturned() {
        meetEmerging("e");
        assertThat(ledger.event(OPERATOR_ID, IndexedEvent.key("hr1", "e3"))).hasValueSatisfying(e -> assertThat(e.framework()).isEqualTo(SMALL.id()));
        assertThat(ledger.progress(OPERATOR_ID, SMALL.id()))
                .hasValueSatisfying(p -> assertThat(p.standing(Level.EMERGING).met()).isTrue());
        assertThat(ledger.progress(OPERATOR_ID, SMALL.id())).hasValueSatisfying(p -> assertThat(p.contact().name()).isEqualTo("Dana Ruiz"));
    }

    @Test
    void aReplayIsADuplicateWithNoEffect() {
        meetEmerging("e");
        var progressBefore = ledger.progress(OPERATOR_ID, SMALL.id()).orElseThrow();
        AssessmentEvent replay = pass("e3", at(3), small(Level.EMERGING, 3));
        assertThat(evaluate(replay)).isEqualTo(new Verdict.Duplicate("e3"));

        String reformatted = "{\"type\":\"assessment.recorded\",\n \"eventId\":\"e3\"," + TestEvents.json(replay).substring(1)
                .replace("\"eventId\":\"e3\",", "").replace("\"type\":\"assessment.recorded\",", "")
                .replace("00:03:00Z", "00:03:00.000Z");
        assertThat(evaluator.evaluate(OPERATOR_ID, reformatted.getBytes(StandardCharsets.UTF_8), ledger))
                .as("same content, different bytes").isEqualTo(new Verdict.Duplicate("e3"));
        assertThat(ledger.progress(OPERATOR_ID, SMALL.id())).contains(progressBefore);
    }

    @Test
    void theSameEventIdWithOtherContentIsAConflictingDuplicate() {
        accept(pass("e1", at(1), small(Level.EMERGING, 1)));
        Rejection rejection = reject(fail("e1", at(1), small(Level.EMERGING, 1)), RejectionReason.CONFLICTING_DUPLICATE);
        assertThat(rejection.detail()).contains("e1");
        assertThat(rejection.stage()).isEqualTo("evaluator");
        assertThat(rejection.rejectedAt()).isEqualTo(NOW);
        assertThat(rejection.original()).isEqualTo(TestEvents.json(fail("e1", at(1), small(Level.EMERGING, 1))));
    }

    @Test
    void eventsFromTheFutureBeyondTheSkewAreRejected() {
        StatementId e1 = small(Level.EMERGING, 1);
        Rejection rejection = reject(pass("f", NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), e1), RejectionReason.OCCURRED_IN_FUTURE);
        assertThat(rejection.pointer()).isEqualTo("/occurredAt");
        accept(pass("g", NOW.plus(Duration.ofMinutes(5)), e1));
    }

    @Test
    void aStatementOfAFrameworkNotLoadedIsUnknownFrameworkUntilItIsLoaded() {
        Framework later = TestEvents.framework(new FrameworkId("33-3333.00", "v1"), 1, 1, 1, 1);
        AssessmentEvent event = pass("x1", at(1), TestEvents.statement(later, Level.EMERGING, 1));
        Rejection rejection = reject(event, RejectionReason.UNKNOWN_FRAMEWORK);
        assertThat(rejection.pointer()).isEqualTo("/statementId");
        assertThat(rejection.detail()).contains("33-3333.00@v1");

        loaded.add(later);
        assertThat(accept(event)).as("the resent event is accepted once the framework is loaded")
                .extracting(LevelDecision::level).containsExactly(Level.EMERGING);
    }

    @Test
    void aStatementTheFrameworkLacksIsUnknownStatement() {
        Rejection rejection = reject(pass("x", at(1), small(Level.EMERGING, 4)), RejectionReason.UNKNOWN_STATEMENT);
        assertThat(rejection.pointer()).isEqualTo("/statementId");
    }

    @Test
    void retractionsFindTheirFrameworkAndAreCheckedAgainstWhatWasAccepted() {
        meetEmerging("e");
        reject(retract("r0", at(4), "never-sent", null), RejectionReason.UNKNOWN_RETRACTION_TARGET);

        List<LevelDecision> decisions = accept(retract("r1", at(5), "e2", "wrong operator"));
        assertThat(decisions).singleElement().isInstanceOfSatisfying(LevelLost.class, lost -> {
            assertThat(lost.reason()).isEqualTo(LossReason.RETRACTED);
            assertThat(lost.framework()).isEqualTo(SMALL.id());
        });
        assertThat(evaluate(retract("r1", at(5), "e2", "wrong operator"))).as("replayed retraction")
                .isEqualTo(new Verdict.Duplicate("r1"));
        reject(retract("r2", at(6), "e2", null), RejectionReason.ALREADY_RETRACTED);
        Rejection ofRetraction = reject(retract("r3", at(6), "r1", null), RejectionReason.UNKNOWN_RETRACTION_TARGET);
        assertThat(ofRetraction.detail()).contains("itself a retraction");
    }

    @Test
    void anotherOperatorsEventCannotBeRetracted() {
        accept(pass("e1", at(1), small(Level.EMERGING, 1)));
        Operator other = new Operator("acme:E2", null, null);
        AssessmentEvent retraction = AssessmentEvent.retracted("r1", at(2), "hr1", other, "e1", null);
        Verdict.Rejected rejected = reject("acme:E2", bytes(retraction));
        assertThat(rejected.rejection().reason()).isEqualTo(RejectionReason.UNKNOWN_RETRACTION_TARGET);
    }

    @Test
    void onlyTheSourceThatSentAnAssessmentCanRetractIt() {
        meetEmerging("e");
        // hr2 names hr1's event: to hr2 it does not exist, and hr1's operator keeps the level.
        Rejection foreign = reject(AssessmentEvent.retracted("r1", at(5), "hr2", TestEvents.OPERATOR, "e2", null),
                RejectionReason.UNKNOWN_RETRACTION_TARGET);
        assertThat(foreign.detail()).contains("from source hr2");
        assertThat(ledger.progress(OPERATOR_ID, SMALL.id()))
                .hasValueSatisfying(p -> assertThat(p.standing(Level.EMERGING).met()).isTrue());
        assertThat(ledger.event(OPERATOR_ID, IndexedEvent.key("hr1", "e2"))).hasValueSatisfying(e -> assertThat(e.source()).isEqualTo("hr1"));

        assertThat(accept(retract("r2", at(6), "e2", null))).as("hr1 retracts its own").singleElement()
                .isInstanceOf(LevelLost.class);
    }

    /** Issue 16.2 / 19: an event id is its source's key; e1 of hr2 is another event than e1 of hr1. */
    @Test
    void theSameEventIdFromTwoSourcesIsTwoEventsEachRetractedOnlyByItsSource() {
        accept(pass("e1", at(1), small(Level.EMERGING, 1)));
        accept(pass("e2", at(2), small(Level.EMERGING, 2)));
        AssessmentEvent hr2First = AssessmentEvent.recorded("e1", at(3), "hr2", TestEvents.OPERATOR, small(Level.EMERGING, 3),
                AssessmentResult.PASS, ASSESSOR, "observation");

        assertThat(accept(hr2First)).as("hr2's e1 is applied, not a conflicting duplicate of hr1's").singleElement()
                .isInstanceOf(LevelAchieved.class);
        assertThat(evaluate(hr2First)).as("and resent, it is hr2's duplicate").isInstanceOf(Verdict.Duplicate.class);
        assertThat(ledger.event(OPERATOR_ID, IndexedEvent.key("hr2", "e1"))).hasValueSatisfying(e -> assertThat(e.source()).isEqualTo("hr2"));

        // hr2 retracts its own e1: statement 3 stops counting; hr1's e1 (statement 1) stands.
        LevelDecision lost = accept(AssessmentEvent.retracted("r1", at(4), "hr2", TestEvents.OPERATOR, "e1", null)).get(0);
        assertThat(lost).isInstanceOf(LevelLost.class);
        OperatorProgress progress = ledger.progress(OPERATOR_ID, SMALL.id()).orElseThrow();
        assertThat(progress.find("hr1", "e1")).hasValueSatisfying(l -> assertThat(l.assessment().isRetracted()).isFalse());
        assertThat(progress.find("hr2", "e1")).hasValueSatisfying(l -> assertThat(l.assessment().retractedBy()).isEqualTo("r1"));
        assertThat(progress.find("hr2", "e1").orElseThrow().statement()).isEqualTo(small(Level.EMERGING, 3));
    }

    /** An event indexed under its bare id, before events were keyed by source, is still recognised. */
    @Test
    void anEventIndexedBeforeSourcedKeysIsStillItsSourcesDuplicate() {
        AssessmentEvent event = pass("e1", at(1), small(Level.EMERGING, 1));
        accept(event);
        IndexedEvent indexed = ledger.events.remove(LedgerKey.event(OPERATOR_ID, IndexedEvent.key("hr1", "e1")));
        ledger.putEvent(OPERATOR_ID, "e1", indexed);

        assertThat(evaluate(event)).isInstanceOf(Verdict.Duplicate.class);
        AssessmentEvent hr2 = AssessmentEvent.recorded("e1", at(2), "hr2", TestEvents.OPERATOR, small(Level.EMERGING, 2),
                AssessmentResult.PASS, ASSESSOR, "observation");
        assertThat(evaluate(hr2)).isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void aLedgerThatCannotHoldBareIdsIsAskedOnceForANewEventAndARetractionsTarget() {
        ledger.bareEventIds = false;
        accept(pass("e1", at(1), small(Level.EMERGING, 1)));
        accept(AssessmentEvent.retracted("r1", at(2), "hr1", TestEvents.OPERATOR, "e1", null));

        assertThat(ledger.eventLookups).containsExactly(
                LedgerKey.event(OPERATOR_ID, IndexedEvent.key("hr1", "e1")),
                LedgerKey.event(OPERATOR_ID, IndexedEvent.key("hr1", "r1")),
                LedgerKey.event(OPERATOR_ID, IndexedEvent.key("hr1", "e1")));

        ledger.bareEventIds = true;
        ledger.eventLookups.clear();
        accept(pass("e2", at(3), small(Level.EMERGING, 2)));
        assertThat(ledger.eventLookups).as("one that can is asked under the bare id too").containsExactly(
                LedgerKey.event(OPERATOR_ID, IndexedEvent.key("hr1", "e2")), LedgerKey.event(OPERATOR_ID, "e2"));
    }

    @Test
    void malformedRecordsAreRejectedUnderTheRecordKeyWithTheOriginalText() {
        Verdict.Rejected rejected = reject("acme:E1", "{oops \u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(rejected.key()).isEqualTo("acme:E1");
        assertThat(rejected.rejection().reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
        assertThat(rejected.rejection().original()).isEqualTo("{oops \u00e9");
        assertThat(rejected.rejection().eventId()).isNull();
    }

    @Test
    void aKeyThatIsNotTheOperatorIsMissingOperator() {
        AssessmentEvent event = pass("e1", at(1), small(Level.EMERGING, 1));
        Verdict.Rejected rejected = reject("acme:someone-else", bytes(event));
        assertThat(rejected.rejection().reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
        assertThat(rejected.key()).isEqualTo("e1");
    }

    @Test
    void decisionsCarryTheLatestNameAndEmailSent() {
        StatementId e1 = small(Level.EMERGING, 1);
        accept(AssessmentEvent.recorded("a", at(10), "hr1", new Operator(OPERATOR_ID, "Dana Ruiz", "old@example.com"),
                e1, AssessmentResult.PASS, ASSESSOR, null));
        accept(AssessmentEvent.recorded("b", at(20), "hr1", new Operator(OPERATOR_ID, "Dana Ruiz-Lee", null),
                small(Level.EMERGING, 2), AssessmentResult.PASS, ASSESSOR, null));
        List<LevelDecision> decisions = accept(AssessmentEvent.recorded("c", at(5), "hr1",
                new Operator(OPERATOR_ID, "D. Ruiz (outdated)", "new@example.com"),
                small(Level.EMERGING, 3), AssessmentResult.PASS, ASSESSOR, null));

        LevelAchieved achieved = (LevelAchieved) decisions.get(0);
        assertThat(achieved.operator().name()).as("the late event's name is older").isEqualTo("Dana Ruiz-Lee");
        assertThat(achieved.operator().email()).as("the late event's e-mail is older than the one sent at 10 minutes")
                .isEqualTo("old@example.com");
    }

    @Test
    void aNewerEmailReplacesTheOlderOne() {
        accept(AssessmentEvent.recorded("a", at(1), "hr1", new Operator(OPERATOR_ID, null, "old@example.com"),
                small(Level.EMERGING, 1), AssessmentResult.PASS, ASSESSOR, null));
        accept(AssessmentEvent.recorded("b", at(2), "hr1", new Operator(OPERATOR_ID, null, "new@example.com"),
                small(Level.EMERGING, 2), AssessmentResult.PASS, ASSESSOR, null));
        List<LevelDecision> decisions = accept(AssessmentEvent.recorded("c", at(3), "hr1", new Operator(OPERATOR_ID, null, null),
                small(Level.EMERGING, 3), AssessmentResult.PASS, ASSESSOR, null));
        assertThat(decisions.get(0).operator()).isEqualTo(new Operator(OPERATOR_ID, null, "new@example.com"));
    }

    @Test
    void eachFrameworkIsDecidedUnderItsOwnPolicy() {
        Framework other = TestEvents.framework(new FrameworkId("44-4444.00", "v1"), 2, 1, 1, 1);
        loaded.add(other);
        LevelPolicy half = new LevelPolicy("half", 3, 50, true, null);
        evaluator = evaluator(LevelPolicies.defaults().with(other.id(), half));

        List<LevelDecision> decisions = accept(pass("o1", at(1), TestEvents.statement(other, Level.EMERGING, 1)));
        assertThat(decisions).singleElement().satisfies(d -> assertThat(d.policy()).isEqualTo(half.ref()));
        assertThat(accept(pass("s1", at(1), small(Level.EMERGING, 1)))).as("SMALL still needs all three").isEmpty();
    }

    @Test
    void decisionsCarryTheLatestNameSentInAnyFramework() {
        Framework other = TestEvents.framework(new FrameworkId("44-4444.00", "v1"), 2, 1, 1, 1);
        loaded.add(other);
        accept(AssessmentEvent.recorded("s1", at(1), "hr1", new Operator(OPERATOR_ID, "Dana Ruiz", "old@example.com"),
                small(Level.EMERGING, 1), AssessmentResult.PASS, ASSESSOR, null));
        accept(AssessmentEvent.recorded("o1", at(20), "hr1", new Operator(OPERATOR_ID, "Dana Ruiz-Lee", null),
                TestEvents.statement(other, Level.EMERGING, 1), AssessmentResult.FAIL, ASSESSOR, null));
        accept(AssessmentEvent.recorded("s2", at(2), "hr1", new Operator(OPERATOR_ID, "D. Ruiz (outdated)", null),
                small(Level.EMERGING, 2), AssessmentResult.PASS, ASSESSOR, null));
        List<LevelDecision> decisions = accept(AssessmentEvent.recorded("s3", at(3), "hr1", new Operator(OPERATOR_ID, null, null),
                small(Level.EMERGING, 3), AssessmentResult.PASS, ASSESSOR, null));

        assertThat(decisions).singleElement().satisfies(d -> assertThat(d.operator())
                .as("the name sent at 20 minutes in the other framework, the e-mail sent at 1 minute")
                .isEqualTo(new Operator(OPERATOR_ID, "Dana Ruiz-Lee", "old@example.com")));
    }

    @Test
    void theLatestOfSeveralContactsIsTakenFieldByField() {
        OperatorContact first = OperatorContact.unknown(OPERATOR_ID)
                .merge(AssessmentEvent.retracted("a", at(5), "hr1", new Operator(OPERATOR_ID, "A", "a@example.com"), "x", null));
        OperatorContact second = OperatorContact.unknown(OPERATOR_ID)
                .merge(AssessmentEvent.retracted("b", at(7), "hr1", new Operator(OPERATOR_ID, "B", null), "x", null))
                .merge(AssessmentEvent.retracted("c", at(3), "hr1", new Operator(OPERATOR_ID, null, "c@example.com"), "x", null));
        OperatorContact all = OperatorContact.unknown(OPERATOR_ID);
        for (String id : List.of("c", "a", "b")) {
            Operator sent = switch (id) {
                case "a" -> new Operator(OPERATOR_ID, "A", "a@example.com");
                case "b" -> new Operator(OPERATOR_ID, "B", null);
                default -> new Operator(OPERATOR_ID, null, "c@example.com");
            };
            all = all.merge(AssessmentEvent.retracted(id, at(id.equals("a") ? 5 : id.equals("b") ? 7 : 3), "hr1", sent, "x", null));
        }
        assertThat(OperatorContact.latest(OPERATOR_ID, List.of(first, second))).isEqualTo(all);
        assertThat(OperatorContact.latest(OPERATOR_ID, List.of(second, first))).isEqualTo(all);
    }
}
