package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The decision rule of DESIGN.md for one operator in one framework, as a pure function: given the
 * progress so far, one well-formed event, the framework and its policy, it returns the new progress
 * and the level transitions the event causes, or why the event cannot apply.
 *
 * <ul>
 *   <li>A statement is decided by its latest assessment that is not retracted, ordered by
 *       {@code occurredAt}, ties broken by the larger {@code eventId}; a late, older assessment is
 *       kept but does not override a newer one.
 *   <li>A statement is demonstrated when that assessment is a pass and, under an evidence validity,
 *       not expired at the progress's {@code asOf}: the latest {@code occurredAt} applied so far.
 *       Judging expiry at the event's own {@code occurredAt} would let a late, older event make expired
 *       passes count again; the latest instant seen is the same for in-order events, deterministic on
 *       replay, and never runs backwards.
 *   <li>A level is met when the demonstrated share of its statements reaches the policy threshold
 *       and, under a cumulative policy, every lower level is met.
 *   <li>Each change of a level's standing is one decision: losses first, then achievements, each in
 *       ascending level order (a lost lower level precedes the higher levels lost with it).
 * </ul>
 */
public final class ProgressRule {

    private ProgressRule() {}

    /** What applying one event gave: new progress and decisions, or a {@link Refusal}. */
    public sealed interface Outcome permits Applied, Refusal {}

    /**
     * The event applies.
     *
     * @param progress the progress after the event
     * @param decisions the transitions it caused, possibly none
     */
    public record Applied(OperatorProgress progress, List<LevelDecision> decisions) implements Outcome {

        public Applied {
            Objects.requireNonNull(progress, "progress");
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * Applies one event.
     *
     * @param current the operator's progress in the framework so far; {@code null} for none
     * @param event a well-formed event of the operator; a recorded event must name a statement of
     *     {@code framework}, a retraction one of the operator's assessments in it
     * @param framework the framework
     * @param policy the framework's policy
     * @param operator the operator as decisions carry them (latest name and e-mail)
     */
    public static Outcome apply(
            OperatorProgress current, AssessmentEvent event, Framework framework, LevelPolicy policy, Operator operator) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(operator, "operator");
        OperatorProgress before = current != null ? current : OperatorProgress.start(event.operatorId(), framework.id());
        if (!before.operatorId().equals(event.operatorId()) || !before.framework().equals(framework.id())) {
            throw new IllegalArgumentException("progress of " + before.operatorId() + " in " + before.framework()
                    + " cannot take event " + event.eventId() + " of " + event.operatorId() + " in " + framework.id());
        }

        OperatorProgress changed;
        Optional<OperatorProgress.Located> retracted = Optional.empty();
        switch (event.type()) {
            case RECORDED -> {
                StatementId statement = event.statement().orElseThrow(() ->
                        new IllegalArgumentException("event " + event.eventId() + " names no well-formed statement"));
                if (!statement.framework().equals(framework.id())) {
                    throw new IllegalArgumentException("statement " + statement + " is not in framework " + framework.id());
                }
                if (framework.statement(statement).isEmpty()) {
                    return new Refusal(event.eventId(), RejectionReason.UNKNOWN_STATEMENT,
                            "/statementId framework " + framework.id() + " has no statement " + statement + " (level "
                                    + statement.level().id() + " has " + framework.statements(statement.level()).size()
                                    + " statements)",
                            "/statementId");
                }
                RecordedAssessment assessment = RecordedAssessment.of(event);
                Optional<OperatorProgress.Located> existing = before.find(event.source(), event.eventId());
                if (existing.isPresent()) {
                    boolean same = existing.get().statement().equals(statement)
                            && sameAssessment(existing.get().assessment(), assessment);
                    return same
                            ? new Applied(before, List.of())
                            : new Refusal(event.eventId(), RejectionReason.CONFLICTING_DUPLICATE,
                                    "event " + event.eventId() + " was already applied with different content", null);
                }
                changed = before.withAssessment(statement, assessment);
            }
            case RETRACTED -> {
                retracted = before.find(event.source(), event.retracts());
                if (retracted.isEmpty()) {
                    return new Refusal(event.eventId(), RejectionReason.UNKNOWN_RETRACTION_TARGET,
                            "/retracts operator " + event.operatorId() + " has no assessment " + event.retracts()
                                    + " in framework " + framework.id(),
                            "/retracts");
                }
                if (retracted.get().assessment().isRetracted()) {
                    return new Refusal(event.eventId(), RejectionReason.ALREADY_RETRACTED,
                            "/retracts assessment " + event.retracts() + " was already retracted by "
                                    + retracted.get().assessment().retractedBy(),
                            "/retracts");
                }
                changed = before.withRetraction(event.source(), event.retracts(), event.eventId());
            }
            default -> throw new IllegalArgumentException("unknown event type " + event.type());
        }

        Instant asOf = later(before.asOf(), event.occurredAt());
        // Most events change no level's standing: find out cheaply before building the full picture.
        boolean[] metNow = met(changed, framework, policy, asOf);
        boolean transition = false;
        for (Level level : Level.values()) {
            transition |= metNow[level.ordinal()] != before.standing(level).met();
        }
        // DESIGN.md "Decision rule": new evidence that extends a met level's validity renews it. Only
        // a pass under a policy whose evidence expires can extend one.
        boolean mayRenew = policy.evidenceValidity() != null && event.type() == AssessmentEventType.RECORDED
                && event.result() == AssessmentResult.PASS && anyMet(before);
        if (!transition && !mayRenew) {
            return new Applied(changed.evaluated(asOf, policy.ref(), before.levels()), List.of());
        }
        List<LevelProgress> now = evaluate(changed, framework, policy, asOf);
        List<LevelProgress> was = mayRenew ? evaluate(before, framework, policy, before.asOf()) : null;
        List<LevelStanding> standings = new ArrayList<>(before.levels());
        List<LevelDecision> losses = new ArrayList<>();
        List<LevelDecision> achievements = new ArrayList<>();
        for (Level level : Level.values()) {
            LevelStanding standing = before.standing(level);
            LevelProgress after = now.get(level.ordinal());
            if (!standing.met() && after.met()) {
                LevelStanding achieved = standing.achieved();
                standings.set(level.ordinal(), achieved);
                achievements.add(new LevelAchieved(operator, framework.id(), level, achieved.sequence(),
                        after.demonstrated(), event.occurredAt(), after.validUntil(), policy.ref(), event.eventId()));
            } else if (standing.met() && after.met() && was != null && extends_(was.get(level.ordinal()), after)) {
                // Renewed: a new achievement (next sequence, so a new credential) that holds longer;
                // the previous one is superseded and lapses at its own validUntil.
                LevelStanding renewed = standing.achieved();
                standings.set(level.ordinal(), renewed);
                achievements.add(new LevelAchieved(operator, framework.id(), level, renewed.sequence(),
                        after.demonstrated(), event.occurredAt(), after.validUntil(), policy.ref(), event.eventId()));
            } else if (standing.met() && !after.met()) {
                standings.set(level.ordinal(), standing.lost());
                if (was == null) {
                    // Only a loss needs to know what counted before: most events lose nothing.
                    was = evaluate(before, framework, policy, before.asOf());
                }
                Loss loss = loss(new LossContext(event, retracted, before.policy(), policy, asOf),
                        was.get(level.ordinal()), after, now);
                losses.add(new LevelLost(operator, framework.id(), level, standing.sequence(), loss.reason(),
                        loss.detail(), event.occurredAt(), policy.ref(), event.eventId()));
            }
        }
        List<LevelDecision> decisions = new ArrayList<>(losses);
        decisions.addAll(achievements);
        return new Applied(changed.evaluated(asOf, policy.ref(), standings), decisions);
    }

    private static boolean anyMet(OperatorProgress progress) {
        for (Level level : Level.values()) {
            if (progress.standing(level).met()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a level met before and after holds longer after: its earliest expiry moved later (or went away). */
    private static boolean extends_(LevelProgress was, LevelProgress now) {
        if (was.validUntil() == null) {
            return false;
        }
        return now.validUntil() == null || now.validUntil().isAfter(was.validUntil());
    }

    /**
     * Re-decides an operator's levels under a policy other than the one their progress was last
     * evaluated under, as if the new policy had always applied to the same evidence: each level whose
     * standing differs is one decision, losses first, then achievements, each in ascending level order.
     * The decisions are made at the progress's {@code asOf} (expiry is judged there, and it is their
     * {@code achievedAt} / {@code lostAt}) and no event caused them ({@code causedBy} is {@code null});
     * a loss's reason is {@link LossReason#LOWER_LEVEL_LOST} when the level itself is still reached,
     * else {@link LossReason#POLICY_CHANGED}.
     *
     * @param current the operator's progress, evaluated at least once
     * @param framework its framework
     * @param policy the framework's policy now
     * @param operator the operator as decisions carry them
     */
    public static Applied reevaluate(OperatorProgress current, Framework framework, LevelPolicy policy, Operator operator) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(operator, "operator");
        if (!current.framework().equals(framework.id())) {
            throw new IllegalArgumentException("progress in " + current.framework() + " is not in framework " + framework.id());
        }
        if (current.asOf() == null) {
            return new Applied(current.evaluated(null, policy.ref(), current.levels()), List.of());
        }
        Instant asOf = current.asOf();
        List<LevelProgress> now = evaluate(current, framework, policy, asOf);
        List<LevelStanding> standings = new ArrayList<>(current.levels());
        List<LevelDecision> losses = new ArrayList<>();
        List<LevelDecision> achievements = new ArrayList<>();
        PolicyRef previous = current.policy();
        for (Level level : Level.values()) {
            LevelStanding standing = current.standing(level);
            LevelProgress after = now.get(level.ordinal());
            if (!standing.met() && after.met()) {
                LevelStanding achieved = standing.achieved();
                standings.set(level.ordinal(), achieved);
                achievements.add(new LevelAchieved(operator, framework.id(), level, achieved.sequence(),
                        after.demonstrated(), asOf, after.validUntil(), policy.ref(), null));
            } else if (standing.met() && !after.met()) {
                standings.set(level.ordinal(), standing.lost());
                Loss loss;
                if (after.reached()) {
                    Level lower = now.stream().filter(p -> p.level().compareTo(level) < 0 && !p.met())
                            .map(LevelProgress::level).findFirst().orElseThrow();
                    loss = new Loss(LossReason.LOWER_LEVEL_LOST, "level " + lower.id() + " is no longer met under policy "
                            + describe(policy.ref()) + ", which requires every lower level");
                } else {
                    loss = new Loss(LossReason.POLICY_CHANGED, after.demonstrated().size() + " of " + after.total()
                            + " statements of level " + level.id() + " are demonstrated, which does not meet policy "
                            + describe(policy.ref()) + (previous == null ? "" : " (was " + describe(previous) + ")"));
                }
                losses.add(new LevelLost(operator, framework.id(), level, standing.sequence(), loss.reason(), loss.detail(),
                        asOf, policy.ref(), null));
            }
        }
        List<LevelDecision> decisions = new ArrayList<>(losses);
        decisions.addAll(achievements);
        return new Applied(current.evaluated(asOf, policy.ref(), standings), decisions);
    }

    /**
     * Evaluates every level of a framework at one instant.
     *
     * @param asOf the instant expiry is judged at; {@code null} judges nothing expired
     * @return one entry per level, emerging first
     */
    public static List<LevelProgress> evaluate(OperatorProgress progress, Framework framework, LevelPolicy policy, Instant asOf) {
        List<LevelProgress> levels = new ArrayList<>(Level.values().length);
        boolean lowerMet = true;
        Instant lowerValidUntil = null;
        // Ids and keys are built from prefixes: this loop runs for every statement on every event.
        String frameworkPrefix = framework.id() + "/";
        for (Level level : Level.values()) {
            String keyPrefix = OperatorProgress.levelKey(level) + "/";
            String idPrefix = frameworkPrefix + keyPrefix;
            List<Statement> statements = framework.statements(level);
            List<DemonstratedStatement> demonstrated = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            Instant ownValidUntil = null;
            for (Statement statement : statements) {
                int position = statement.id().position();
                String id = idPrefix + position;
                Optional<RecordedAssessment> winner = progress.winnerAt(keyPrefix + position);
                Instant expiresAt = winner.map(w -> w.expiresAt(policy.evidenceValidity())).orElse(null);
                boolean current = expiresAt == null || asOf == null || asOf.isBefore(expiresAt);
                if (winner.isPresent() && winner.get().isPass() && current) {
                    RecordedAssessment pass = winner.get();
                    demonstrated.add(new DemonstratedStatement(
                            id, pass.eventId(), pass.assessor(), pass.method(), pass.occurredAt(), expiresAt));
                    ownValidUntil = earlier(ownValidUntil, expiresAt);
                } else {
                    missing.add(id);
                }
            }
            boolean reached = policy.reached(demonstrated.size(), statements.size());
            boolean met = reached && (!policy.cumulative() || lowerMet);
            Instant validUntil = policy.cumulative() ? earlier(ownValidUntil, lowerValidUntil) : ownValidUntil;
            levels.add(new LevelProgress(level, statements.size(), demonstrated, missing, reached, met, validUntil));
            lowerMet = met;
            lowerValidUntil = validUntil;
        }
        return levels;
    }

    /**
     * Which levels are met, as {@link #evaluate} decides them, indexed by {@link Level#ordinal()}:
     * counted from the assessed statements only, with no statement ids or lists built.
     */
    static boolean[] met(OperatorProgress progress, Framework framework, LevelPolicy policy, Instant asOf) {
        int[] demonstrated = new int[Level.values().length];
        for (Map.Entry<String, List<RecordedAssessment>> statement : progress.assessments().entrySet()) {
            List<RecordedAssessment> history = statement.getValue();
            RecordedAssessment winner = null;
            for (int i = history.size() - 1; i >= 0 && winner == null; i--) {
                if (!history.get(i).isRetracted()) {
                    winner = history.get(i);
                }
            }
            if (winner == null || !winner.isPass()) {
                continue;
            }
            Instant expiresAt = winner.expiresAt(policy.evidenceValidity());
            if (expiresAt != null && asOf != null && !asOf.isBefore(expiresAt)) {
                continue;
            }
            String key = statement.getKey();
            Level level = Level.fromId(key.substring(0, key.indexOf('/'))).orElseThrow(() ->
                    new IllegalStateException("progress holds a malformed statement key " + key));
            demonstrated[level.ordinal()]++;
        }
        boolean[] met = new boolean[demonstrated.length];
        boolean lowerMet = true;
        for (Level level : Level.values()) {
            boolean reached = policy.reached(demonstrated[level.ordinal()], framework.statements(level).size());
            met[level.ordinal()] = reached && (!policy.cumulative() || lowerMet);
            lowerMet = met[level.ordinal()];
        }
        return met;
    }

    /** What a loss is judged from, besides the level's own progress. */
    private record LossContext(
            AssessmentEvent event, Optional<OperatorProgress.Located> retracted, PolicyRef previousPolicy,
            LevelPolicy policy, Instant asOf) {}

    private record Loss(LossReason reason, String detail) {}

    /**
     * Why a met level is no longer met. The event's own effect comes first (a retraction or a fail of
     * a statement the level relied on), then expiry, then a lower level lost; when none of the
     * level's statements stopped counting, its requirements changed.
     */
    private static Loss loss(LossContext context, LevelProgress was, LevelProgress now, List<LevelProgress> all) {
        AssessmentEvent event = context.event();
        if (now.reached()) {
            Level lower = all.stream().filter(p -> p.level().compareTo(now.level()) < 0 && !p.met())
                    .map(LevelProgress::level).findFirst().orElseThrow();
            return new Loss(LossReason.LOWER_LEVEL_LOST, "level " + lower.id() + " is no longer met and policy "
                    + describe(context.policy().ref()) + " requires every lower level");
        }
        List<DemonstratedStatement> dropped = was.demonstrated().stream()
                .filter(s -> !now.demonstrates(s.statementId())).toList();
        if (context.retracted().isPresent()) {
            String statementId = context.retracted().get().statement().toString();
            if (dropped.stream().anyMatch(s -> s.statementId().equals(statementId))) {
                return new Loss(LossReason.RETRACTED, "assessment " + event.retracts() + " of statement " + statementId
                        + " was retracted by " + event.eventId()
                        + (event.reason() == null || event.reason().isBlank() ? "" : ": " + event.reason()));
            }
        }
        if (event.result() == AssessmentResult.FAIL
                && dropped.stream().anyMatch(s -> s.statementId().equals(event.statementId()))) {
            return new Loss(LossReason.FAILED, "statement " + event.statementId() + " was assessed as fail by "
                    + event.eventId() + (event.assessor() == null ? "" : " (assessor " + event.assessor().id() + ")"));
        }
        List<DemonstratedStatement> expired = dropped.stream()
                .filter(s -> s.expiresAt() != null && !context.asOf().isBefore(s.expiresAt())).toList();
        if (!expired.isEmpty()) {
            Instant first = expired.stream().map(DemonstratedStatement::expiresAt).min(Instant::compareTo).orElseThrow();
            String which = expired.stream().map(DemonstratedStatement::statementId).collect(Collectors.joining(", "));
            return new Loss(LossReason.EXPIRED, (expired.size() == 1
                    ? "the pass for statement " + which + " expired at " + first
                    : "the passes for statements " + which + " expired, the first at " + first)
                    + " under policy " + describe(context.policy().ref()));
        }
        PolicyRef previous = context.previousPolicy();
        return new Loss(LossReason.POLICY_CHANGED, "the evidence no longer meets level " + now.level().id()
                + " under policy " + describe(context.policy().ref())
                + (previous == null || previous.equals(context.policy().ref()) ? "" : " (was " + describe(previous) + ")"));
    }

    private static boolean sameAssessment(RecordedAssessment kept, RecordedAssessment sent) {
        return kept.eventId().equals(sent.eventId())
                && kept.occurredAt().equals(sent.occurredAt())
                && kept.result() == sent.result()
                && Objects.equals(kept.assessor(), sent.assessor())
                && Objects.equals(kept.method(), sent.method());
    }

    private static String describe(PolicyRef policy) {
        return policy.id() + " v" + policy.version();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
