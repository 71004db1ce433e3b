package io.credpipe.evaluator.rule;

import static io.credpipe.evaluator.rule.TestEvents.OPERATOR;
import static io.credpipe.evaluator.rule.TestEvents.SMALL;
import static io.credpipe.evaluator.rule.TestEvents.at;
import static io.credpipe.evaluator.rule.TestEvents.fail;
import static io.credpipe.evaluator.rule.TestEvents.pass;
import static io.credpipe.evaluator.rule.TestEvents.retract;
import static io.credpipe.evaluator.rule.TestEvents.small;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import io.credpipe.topics.serde.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProgressRuleTest {

    private static final StatementId E1 = small(Level.EMERGING, 1);
    private static final StatementId E2 = small(Level.EMERGING, 2);
    private static final StatementId E3 = small(Level.EMERGING, 3);
    private static final StatementId D1 = small(Level.DEVELOPING, 1);
    private static final StatementId D2 = small(Level.DEVELOPING, 2);
    private static final LevelPolicy NOT_CUMULATIVE = new LevelPolicy("loose", 1, 100, false, null);

    private OperatorProgress progress;
    private Framework framework = SMALL;
    private LevelPolicy policy = LevelPolicy.DEFAULT;

    private List<LevelDecision> apply(AssessmentEvent event) {
        ProgressRule.Outcome outcome = ProgressRule.apply(progress, event, framework, policy, OPERATOR);
        assertThat(outcome).as("outcome of %s", event.eventId()).isInstanceOf(ProgressRule.Applied.class);
        ProgressRule.Applied applied = (ProgressRule.Applied) outcome;
        progress = applied.progress();
        return applied.decisions();
    }

    private Refusal refuse(AssessmentEvent event) {
        OperatorProgress before = progress;
        ProgressRule.Outcome outcome = ProgressRule.apply(progress, event, framework, policy, OPERATOR);
        assertThat(outcome).isInstanceOf(Refusal.class);
        assertThat(progress).isSameAs(before);
        return (Refusal) outcome;
    }

    private void meetEmerging(String prefix, Instant at) {
        apply(pass(prefix + "1", at, E1));
        apply(pass(prefix + "2", at, E2));
        apply(pass(prefix + "3", at, E3));
    }

    private static LevelAchieved achieved(LevelDecision decision) {
        assertThat(decision).isInstanceOf(LevelAchieved.class);
        return (LevelAchieved) decision;
    }

    private static LevelLost lost(LevelDecision decision) {
        assertThat(decision).isInstanceOf(LevelLost.class);
        return (LevelLost) decision;
    }

    @Test
    void achievesALevelOnceWhenItsLastStatementPasses() {
        assertThat(apply(pass("e1", at(1), E1))).isEmpty();
        assertThat(apply(pass("e2", at(2), E2))).isEmpty();
        List<LevelDecision> decisions = apply(pass("e3", at(3), E3));

        assertThat(decisions).hasSize(1);
        LevelAchieved achieved = achieved(decisions.get(0));
        assertThat(achieved.level()).isEqualTo(Level.EMERGING);
        assertThat(achieved.sequence()).isEqualTo(1);
        assertThat(achieved.operator()).isEqualTo(OPERATOR);
        assertThat(achieved.framework()).isEqualTo(SMALL.id());
        assertThat(achieved.achievedAt()).isEqualTo(at(3));
        assertThat(achieved.validUntil()).isNull();
        assertThat(achieved.policy()).isEqualTo(new PolicyRef("default", 1));
        assertThat(achieved.causedBy()).isEqualTo("e3");
        assertThat(achieved.statements()).containsExactly(
                new DemonstratedStatement(E1.toString(), "e1", TestEvents.ASSESSOR, "observation", at(1), null),
                new DemonstratedStatement(E2.toString(), "e2", TestEvents.ASSESSOR, "observation", at(2), null),
                new DemonstratedStatement(E3.toString(), "e3", TestEvents.ASSESSOR, "observation", at(3), null));

        assertThat(apply(pass("e4", at(4), E1))).as("a met level is not achieved again").isEmpty();
        assertThat(progress.standing(Level.EMERGING)).isEqualTo(new LevelStanding(Level.EMERGING, true, 1));
    }

    @Test
    void cumulativeAchievementsComeLowerLevelFirst() {
        assertThat(apply(pass("d1", at(1), D1))).isEmpty();
        assertThat(apply(pass("d2", at(2), D2))).as("developing needs emerging first").isEmpty();
        apply(pass("e1", at(3), E1));
        apply(pass("e2", at(4), E2));
        List<LevelDecision> decisions = apply(pass("e3", at(5), E3));

        assertThat(decisions).extracting(LevelDecision::level).containsExactly(Level.EMERGING, Level.DEVELOPING);
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d).isInstanceOf(LevelAchieved.class);
            assertThat(d.sequence()).isEqualTo(1);
            assertThat(d.causedBy()).isEqualTo("e3");
        });
        assertThat(achieved(decisions.get(1)).statements()).extracting(DemonstratedStatement::statementId)
                .containsExactly(D1.toString(), D2.toString());
    }

    @Test
    void aNonCumulativePolicyMeetsALevelWithoutTheLowerOnes() {
        policy = NOT_CUMULATIVE;
        apply(pass("d1", at(1), D1));
        List<LevelDecision> decisions = apply(pass("d2", at(2), D2));

        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).level()).isEqualTo(Level.DEVELOPING);
        assertThat(decisions.get(0).policy()).isEqualTo(new PolicyRef("loose", 1));
        assertThat(progress.standing(Level.EMERGING).met()).isFalse();
    }

    @Test
    void aFailOfAReliedStatementLosesTheLevelAndTheLevelsAboveIt() {
        meetEmerging("e", at(1));
        apply(pass("d1", at(2), D1));
        assertThat(apply(pass("d2", at(3), D2))).extracting(LevelDecision::level).containsExactly(Level.DEVELOPING);

        List<LevelDecision> decisions = apply(fail("f2", at(10), E2));

        assertThat(decisions).hasSize(2);
        LevelLost emerging = lost(decisions.get(0));
        assertThat(emerging.level()).isEqualTo(Level.EMERGING);
        assertThat(emerging.reason()).isEqualTo(LossReason.FAILED);
        assertThat(emerging.sequence()).isEqualTo(1);
        assertThat(emerging.lostAt()).isEqualTo(at(10));
        assertThat(emerging.causedBy()).isEqualTo("f2");
        assertThat(emerging.detail()).contains(E2.toString(), "f2", "acme:S77");
        LevelLost developing = lost(decisions.get(1));
        assertThat(developing.level()).isEqualTo(Level.DEVELOPING);
        assertThat(developing.reason()).isEqualTo(LossReason.LOWER_LEVEL_LOST);
        assertThat(developing.detail()).contains("emerging");
        assertThat(progress.levels()).noneMatch(LevelStanding::met);
    }

    @Test
    void aLateOlderAssessmentNeverOverridesANewerOne() {
        meetEmerging("e", at(10));
        assertThat(apply(fail("late-fail", at(5), E2))).isEmpty();
        assertThat(progress.standing(Level.EMERGING).met()).isTrue();
        assertThat(progress.winner(E2)).hasValueSatisfying(w -> assertThat(w.eventId()).isEqualTo("e2"));

        OperatorProgress other = null;
        progress = other;
        apply(fail("f1", at(10), E1));
        apply(pass("late-pass", at(5), E1));
        apply(pass("e2", at(11), E2));
        assertThat(apply(pass("e3", at(12), E3))).as("the newer fail still decides E1").isEmpty();
    }

    @Test
    void tiesOnOccurredAtGoToTheLargerEventIdInEveryArrivalOrder() {
        for (boolean passFirst : List.of(true, false)) {
            progress = null;
            apply(pass("x2", at(1), E2));
            apply(pass("x3", at(1), E3));
            List<AssessmentEvent> tie = new ArrayList<>(List.of(pass("b", at(5), E1), fail("a", at(5), E1)));
            if (!passFirst) {
                Collections.reverse(tie);
            }
            apply(tie.get(0));
            apply(tie.get(1));
            assertThat(progress.standing(Level.EMERGING).met()).as("pass b beats fail a, pass first: %s", passFirst).isTrue();
        }
        for (boolean passFirst : List.of(true, false)) {
            progress = null;
            apply(pass("x2", at(1), E2));
            apply(pass("x3", at(1), E3));
            List<AssessmentEvent> tie = new ArrayList<>(List.of(pass("a", at(5), E1), fail("b", at(5), E1)));
            if (!passFirst) {
                Collections.reverse(tie);
            }
            apply(tie.get(0));
            apply(tie.get(1));
            assertThat(progress.standing(Level.EMERGING).met()).as("fail b beats pass a, pass first: %s", passFirst).isFalse();
        }
    }

    @Test
    void retractingTheLatestAssessmentLetsThePreviousOneWinAgain() {
        apply(pass("p1", at(1), E1));
        apply(fail("f1", at(2), E1));
        apply(pass("e2", at(3), E2));
        assertThat(apply(pass("e3", at(4), E3))).isEmpty();

        List<LevelDecision> decisions = apply(retract("r1", at(5), "f1", "entered for the wrong operator"));
        assertThat(decisions).hasSize(1);
        LevelAchieved achieved = achieved(decisions.get(0));
        assertThat(achieved.causedBy()).isEqualTo("r1");
        assertThat(achieved.achievedAt()).isEqualTo(at(5));
        assertThat(achieved.statements().get(0).eventId()).isEqualTo("p1");

        decisions = apply(retract("r2", at(6), "p1", "assessor not qualified"));
        assertThat(decisions).hasSize(1);
        LevelLost lost = lost(decisions.get(0));
        assertThat(lost.reason()).isEqualTo(LossReason.RETRACTED);
        assertThat(lost.sequence()).isEqualTo(1);
        assertThat(lost.detail()).contains("p1", "r2", E1.toString(), "assessor not qualified");
    }

    @Test
    void retractingAPassBackedByAnOlderPassChangesNothing() {
        apply(pass("p1", at(1), E1));
        apply(pass("p2", at(2), E1));
        apply(pass("e2", at(3), E2));
        LevelAchieved achieved = achieved(apply(pass("e3", at(4), E3)).get(0));
        assertThat(achieved.statements().get(0).eventId()).isEqualTo("p2");

        assertThat(apply(retract("r1", at(5), "p2", null))).isEmpty();
        assertThat(progress.winner(E1)).hasValueSatisfying(w -> assertThat(w.eventId()).isEqualTo("p1"));
        assertThat(lost(apply(retract("r2", at(6), "p1", null)).get(0)).reason()).isEqualTo(LossReason.RETRACTED);
    }

    @Test
    void aLevelMetAgainIsANewAchievementWithTheNextSequence() {
        meetEmerging("e", at(1));
        assertThat(lost(apply(fail("f1", at(2), E1)).get(0)).sequence()).isEqualTo(1);
        LevelAchieved again = achieved(apply(pass("p1", at(3), E1)).get(0));
        assertThat(again.sequence()).isEqualTo(2);
        assertThat(again.statements().get(0).eventId()).isEqualTo("p1");
        LevelLost lostAgain = lost(apply(fail("f2", at(4), E1)).get(0));
        assertThat(lostAgain.sequence()).isEqualTo(2);
        assertThat(achieved(apply(pass("p2", at(5), E1)).get(0)).sequence()).isEqualTo(3);
        assertThat(progress.standing(Level.DEVELOPING)).isEqualTo(LevelStanding.never(Level.DEVELOPING));
    }

    @Test
    void retractionsOfUnknownOrAlreadyRetractedAssessmentsAreRefused() {
        apply(pass("p1", at(1), E1));

        Refusal unknown = refuse(retract("r0", at(2), "nope", null));
        assertThat(unknown.reason()).isEqualTo(RejectionReason.UNKNOWN_RETRACTION_TARGET);
        assertThat(unknown.pointer()).isEqualTo("/retracts");
        assertThat(unknown.eventId()).isEqualTo("r0");

        apply(retract("r1", at(2), "p1", null));
        Refusal again = refuse(retract("r2", at(3), "p1", null));
        assertThat(again.reason()).isEqualTo(RejectionReason.ALREADY_RETRACTED);
        assertThat(again.detail()).contains("r1");
    }

    @Test
    void aThresholdBelowAHundredPercentCountsTheShare() {
        framework = TestEvents.framework(new FrameworkId("22-2222.00", "t1"), 5, 1, 1, 1);
        policy = new LevelPolicy("three-of-five", 1, 60, true, null);
        StatementId s1 = TestEvents.statement(framework, Level.EMERGING, 1);
        StatementId s3 = TestEvents.statement(framework, Level.EMERGING, 3);
        StatementId s5 = TestEvents.statement(framework, Level.EMERGING, 5);

        apply(pass("a", at(1), s5));
        assertThat(apply(pass("b", at(2), s1))).as("2 of 5 is 40%").isEmpty();
        LevelAchieved achieved = achieved(apply(pass("c", at(3), s3)).get(0));
        assertThat(achieved.statements()).as("only demonstrated statements, framework order")
                .extracting(DemonstratedStatement::statementId).containsExactly(s1.toString(), s3.toString(), s5.toString());
        assertThat(achieved.policy()).isEqualTo(new PolicyRef("three-of-five", 1));

        assertThat(apply(fail("f", at(4), TestEvents.statement(framework, Level.EMERGING, 2)))).as("unused statement fails")
                .isEmpty();
        LevelLost lost = lost(apply(fail("g", at(5), s1)).get(0));
        assertThat(lost.reason()).isEqualTo(LossReason.FAILED);
    }

    @Test
    void passesExpireUnderAnEvidenceValidity() {
        policy = new LevelPolicy("thirty-days", 1, 100, true, Period.ofDays(30));
        Instant day0 = TestEvents.T0;
        apply(pass("e1", day0, E1));
        apply(pass("e2", day(1), E2));
        LevelAchieved achieved = achieved(apply(pass("e3", day(2), E3)).get(0));
        assertThat(achieved.validUntil()).isEqualTo(day(30));
        assertThat(achieved.statements()).extracting(DemonstratedStatement::expiresAt)
                .containsExactly(day(30), day(31), day(32));

        assertThat(apply(pass("just-before", day(30).minusSeconds(1), D1))).as("valid until the instant of expiry")
                .isEmpty();
        List<LevelDecision> decisions = apply(pass("d2", day(30), D2));
        LevelLost lost = lost(decisions.get(0));
        assertThat(decisions).hasSize(1);
        assertThat(lost.reason()).isEqualTo(LossReason.EXPIRED);
        assertThat(lost.detail()).contains(E1.toString(), day(30).toString());
        assertThat(lost.lostAt()).isEqualTo(day(30));

        List<LevelDecision> regained = apply(pass("e1b", day(3), E1));
        assertThat(regained).as("a late pass still current at day 30 stands in for the expired one")
                .extracting(LevelDecision::level, LevelDecision::sequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.EMERGING, 2),
                        org.assertj.core.groups.Tuple.tuple(Level.DEVELOPING, 1));
        assertThat(regained).allSatisfy(d -> assertThat(achieved(d).validUntil()).as("E2 expires first").isEqualTo(day(31)));

        List<LevelDecision> expired = apply(pass("p1", day(31), small(Level.PROFICIENT, 1)));
        assertThat(expired).extracting(d -> lost(d).reason())
                .containsExactly(LossReason.EXPIRED, LossReason.LOWER_LEVEL_LOST);
        assertThat(lost(expired.get(0)).detail()).contains(E2.toString()).doesNotContain(E3.toString());
    }

    @Test
    void reAchievementAfterExpiryIsValidUntilTheEarliestPassItReliesOn() {
        policy = new LevelPolicy("thirty-days", 1, 100, true, Period.ofDays(30));
        meetEmerging("e", day(0));
        assertThat(lost(apply(pass("x", day(40), D1)).get(0)).reason()).isEqualTo(LossReason.EXPIRED);
        apply(pass("e1b", day(41), E1));
        apply(pass("e2b", day(35), E2));
        LevelAchieved again = achieved(apply(pass("e3b", day(42), E3)).get(0));
        assertThat(again.sequence()).isEqualTo(2);
        assertThat(again.validUntil()).isEqualTo(day(65));
    }

    @Test
    void aPassThatExtendsAMetLevelsValidityRenewsItAsANewAchievement() {
        policy = new LevelPolicy("thirty-days", 1, 100, true, Period.ofDays(30));
        meetEmerging("e", day(0));

        assertThat(apply(pass("e2b", day(10), E2))).as("E1 and E3 still expire on day 30: nothing holds longer").isEmpty();
        assertThat(apply(pass("e1b", day(20), E1))).as("E3 still expires on day 30").isEmpty();
        List<LevelDecision> renewed = apply(pass("e3b", day(21), E3));

        assertThat(renewed).hasSize(1);
        LevelAchieved again = achieved(renewed.get(0));
        assertThat(again.level()).isEqualTo(Level.EMERGING);
        assertThat(again.sequence()).as("a new credential; the first is superseded").isEqualTo(2);
        assertThat(again.validUntil()).as("E2, passed again on day 10, now expires first").isEqualTo(day(40));
        assertThat(again.causedBy()).isEqualTo("e3b");
        assertThat(apply(pass("e3c", day(22), E3))).as("a pass that moves no earliest expiry renews nothing").isEmpty();

        LevelLost lapsed = lost(apply(pass("late", day(40), D1)).get(0));
        assertThat(lapsed.reason()).isEqualTo(LossReason.EXPIRED);
        assertThat(lapsed.sequence()).as("the loss names the latest achievement").isEqualTo(2);
    }

    @Test
    void withoutAnEvidenceValidityAMetLevelNeverRenews() {
        meetEmerging("e", day(0));

        assertThat(apply(pass("e1b", day(20), E1))).isEmpty();
    }

    @Test
    void aLateOldEventDoesNotMakeExpiredPassesCountAgain() {
        policy = new LevelPolicy("thirty-days", 1, 100, true, Period.ofDays(30));
        meetEmerging("e", day(0));
        assertThat(lost(apply(pass("d1", day(40), D1)).get(0)).reason()).isEqualTo(LossReason.EXPIRED);
        assertThat(apply(pass("late", day(1), D2))).isEmpty();
        assertThat(progress.asOf()).isEqualTo(day(40));
    }

    @Test
    void validUntilOfACumulativeLevelIncludesTheLowerLevelsPasses() {
        for (boolean cumulative : List.of(true, false)) {
            progress = null;
            policy = new LevelPolicy("yearly", 2, 100, cumulative, Period.ofYears(1));
            meetEmerging("e", Instant.parse("2026-01-01T00:00:00Z"));
            apply(pass("d1", Instant.parse("2026-06-01T00:00:00Z"), D1));
            List<LevelDecision> decisions = apply(pass("d2", Instant.parse("2026-07-01T00:00:00Z"), D2));
            LevelAchieved developing = achieved(decisions.get(decisions.size() - 1));
            assertThat(developing.level()).isEqualTo(Level.DEVELOPING);
            assertThat(developing.validUntil()).isEqualTo(cumulative
                    ? Instant.parse("2027-01-01T00:00:00Z")
                    : Instant.parse("2027-06-01T00:00:00Z"));
        }
    }

    @Test
    void lossesComeBeforeAchievementsInOneEvent() {
        policy = new LevelPolicy("ten-days", 1, 100, false, Period.ofDays(10));
        meetEmerging("e", day(0));
        apply(pass("d1", day(5), D1));
        List<LevelDecision> decisions = apply(pass("d2", day(11), D2));
        assertThat(decisions).hasSize(2);
        assertThat(lost(decisions.get(0)).level()).isEqualTo(Level.EMERGING);
        assertThat(lost(decisions.get(0)).reason()).isEqualTo(LossReason.EXPIRED);
        assertThat(achieved(decisions.get(1)).level()).isEqualTo(Level.DEVELOPING);
        assertThat(achieved(decisions.get(1)).validUntil()).isEqualTo(day(15));
    }

    @Test
    void aReplayedAssessmentChangesNothingAndAConflictingOneIsRefused() {
        apply(pass("p1", at(1), E1));
        OperatorProgress before = progress;
        assertThat(apply(pass("p1", at(1), E1))).isEmpty();
        assertThat(progress).isEqualTo(before);

        Refusal conflict = refuse(fail("p1", at(1), E1));
        assertThat(conflict.reason()).isEqualTo(RejectionReason.CONFLICTING_DUPLICATE);
        assertThat(refuse(pass("p1", at(1), E2)).reason()).isEqualTo(RejectionReason.CONFLICTING_DUPLICATE);
    }

    @Test
    void aStatementTheFrameworkDoesNotHaveIsRefused() {
        Refusal refusal = refuse(pass("x", at(1), small(Level.ADVANCED, 2)));
        assertThat(refusal.reason()).isEqualTo(RejectionReason.UNKNOWN_STATEMENT);
        assertThat(refusal.pointer()).isEqualTo("/statementId");
        assertThat(refusal.detail()).contains("has 1 statements");
    }

    @Test
    void aLevelNoLongerMetUnderAChangedPolicyIsLostForThatReason() {
        policy = new LevelPolicy("two-of-three", 1, 60, true, null);
        apply(pass("e1", at(1), E1));
        assertThat(apply(pass("e2", at(2), E2))).hasSize(1);

        policy = new LevelPolicy("two-of-three", 2, 100, true, null);
        LevelLost lost = lost(apply(pass("d1", at(3), D1)).get(0));
        assertThat(lost.reason()).isEqualTo(LossReason.POLICY_CHANGED);
        assertThat(lost.policy()).isEqualTo(new PolicyRef("two-of-three", 2));
        assertThat(lost.detail()).contains("two-of-three v2", "was two-of-three v1");
    }

    /**
     * However the same events arrive (retractions after what they retract), the operator ends in the
     * same place, and every level's decisions alternate achieved/lost with rising sequence numbers.
     */
    @Test
    void theFinalStandingDoesNotDependOnArrivalOrder() {
        List<LevelPolicy> policies = List.of(LevelPolicy.DEFAULT, NOT_CUMULATIVE,
                new LevelPolicy("thirty-days", 1, 60, true, Period.ofDays(30)),
                new LevelPolicy("thirty-days-loose", 1, 100, false, Period.ofDays(30)));
        List<StatementId> statements = List.of(E1, E2, E3, D1, D2, small(Level.PROFICIENT, 1), small(Level.ADVANCED, 1));
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            policy = policies.get(seed % policies.size());
            List<AssessmentEvent> events = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                StatementId statement = statements.get(random.nextInt(statements.size()));
                Instant when = day(random.nextInt(60)).plusSeconds(random.nextInt(3));
                String id = "e" + random.nextInt(1000) + "-" + i;
                events.add(random.nextInt(10) < 7 ? pass(id, when, statement) : fail(id, when, statement));
            }
            for (int r = 0; r < 2; r++) {
                AssessmentEvent target = events.get(random.nextInt(14));
                if (events.stream().noneMatch(e -> target.eventId().equals(e.retracts()))) {
                    events.add(retract("r" + r + "-" + target.eventId(), day(random.nextInt(60)), target.eventId(), null));
                }
            }

            OperatorProgress first = null;
            for (int order = 0; order < 3; order++) {
                List<AssessmentEvent> arrival = new ArrayList<>(events);
                Collections.shuffle(arrival, random);
                arrival = retractionsAfterTargets(arrival);
                progress = null;
                List<LevelDecision> decisions = new ArrayList<>();
                for (AssessmentEvent event : arrival) {
                    decisions.addAll(apply(event));
                }
                assertDecisionsAlternate(decisions, progress);
                if (first == null) {
                    first = progress;
                } else {
                    assertThat(progress.assessments()).as("seed %d", seed).isEqualTo(first.assessments());
                    assertThat(progress.asOf()).isEqualTo(first.asOf());
                    for (Level level : Level.values()) {
                        assertThat(progress.standing(level).met()).as("seed %d level %s", seed, level)
                                .isEqualTo(first.standing(level).met());
                    }
                }
            }
        }
    }

    private static List<AssessmentEvent> retractionsAfterTargets(List<AssessmentEvent> arrival) {
        List<AssessmentEvent> ordered = new ArrayList<>();
        List<AssessmentEvent> waiting = new ArrayList<>();
        for (AssessmentEvent event : arrival) {
            if (event.retracts() != null && ordered.stream().noneMatch(e -> e.eventId().equals(event.retracts()))) {
                waiting.add(event);
            } else {
                ordered.add(event);
            }
            for (AssessmentEvent retraction : List.copyOf(waiting)) {
                if (ordered.stream().anyMatch(e -> e.eventId().equals(retraction.retracts()))) {
                    ordered.add(retraction);
                    waiting.remove(retraction);
                }
            }
        }
        assertThat(waiting).isEmpty();
        return ordered;
    }

    /** A loss follows an achievement and names it; an achievement may follow one (a renewal); sequences count achievements. */
    private static void assertDecisionsAlternate(List<LevelDecision> decisions, OperatorProgress end) {
        for (Level level : Level.values()) {
            List<LevelDecision> ofLevel = decisions.stream().filter(d -> d.level() == level).toList();
            int achieved = 0;
            boolean met = false;
            for (LevelDecision decision : ofLevel) {
                if (decision instanceof LevelAchieved) {
                    achieved++;
                    met = true;
                } else {
                    assertThat(met).as("a loss of a level that is met").isTrue();
                    met = false;
                }
                assertThat(decision.sequence()).isEqualTo(achieved);
            }
            assertThat(end.standing(level).met()).isEqualTo(met);
            assertThat(end.standing(level).sequence()).isEqualTo(achieved);
        }
    }

    @Test
    void progressSurvivesTheStateStoreSerde() {
        policy = new LevelPolicy("thirty-days", 1, 100, true, Period.ofDays(30));
        meetEmerging("e", at(1));
        apply(fail("f", at(2), E1));
        apply(retract("r", at(3), "f", "typo"));
        JsonSerde<OperatorProgress> serde = new JsonSerde<>(OperatorProgress.class);
        byte[] bytes = serde.serializer().serialize("t", progress);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(progress);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"retractedBy\":\"r\"");

        OperatorContact contact = OperatorContact.unknown("acme:E1").merge(pass("x", at(1), E1));
        JsonSerde<OperatorContact> contacts = new JsonSerde<>(OperatorContact.class);
        assertThat(contacts.deserializer().deserialize("t", contacts.serializer().serialize("t", contact))).isEqualTo(contact);
        IndexedEvent indexed = new IndexedEvent("abc", io.credpipe.model.event.AssessmentEventType.RETRACTED, SMALL.id());
        JsonSerde<IndexedEvent> index = new JsonSerde<>(IndexedEvent.class);
        assertThat(index.deserializer().deserialize("t", index.serializer().serialize("t", indexed))).isEqualTo(indexed);
    }

    private static Instant day(int days) {
        return TestEvents.T0.plus(Duration.ofDays(days));
    }
}
