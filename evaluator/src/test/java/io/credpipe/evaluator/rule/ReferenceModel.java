package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision rule of DESIGN.md written the slow, obvious way, to check the evaluator against.
 * Nothing is kept between events but the list of events accepted so far: after each arrival every
 * statement, level and standing is recomputed from that whole list, and a transition is simply a
 * level whose "met" differs from what the same computation gave before the event.
 *
 * <p>It shares no code with the evaluator's rule ({@code ProgressRule}, {@code OperatorProgress}),
 * only the model records, so a mistake in one is not repeated in the other.
 */
public final class ReferenceModel {

    /** A level transition, as far as the reference decides it (texts and operator names aside). */
    public record Transition(
            boolean achieved, FrameworkId framework, Level level, int sequence, String causedBy, Instant at,
            String policyId, int policyVersion, List<DemonstratedStatement> statements, Instant validUntil,
            LossReason lossReason) {}

    /**
     * What one arriving event did: a rejection reason, or the transitions it caused (none for a replay),
     * and for an accepted event the framework it applied to.
     */
    public record Outcome(RejectionReason rejected, boolean duplicate, List<Transition> transitions, FrameworkId framework) {}

    /** One level as computed from scratch. */
    public record LevelState(boolean reached, boolean met, List<DemonstratedStatement> demonstrated, Instant validUntil) {}

    private final Map<FrameworkId, Framework> frameworks;
    private final Map<FrameworkId, LevelPolicy> policies;
    private final Instant latestAllowed;
    private final List<AssessmentEvent> accepted = new ArrayList<>();
    private final Map<FrameworkId, Map<Level, Integer>> achievements = new HashMap<>();

    public ReferenceModel(List<Framework> frameworks, Map<FrameworkId, LevelPolicy> policies, Instant now, Duration maxClockSkew) {
        this.frameworks = frameworks.stream().collect(Collectors.toMap(Framework::id, f -> f));
        this.policies = new HashMap<>(policies);
        this.latestAllowed = now.plus(maxClockSkew);
    }

    /** Takes the next arriving event. */
    public Outcome arrive(AssessmentEvent event) {
        Optional<AssessmentEvent> sameId = accepted.stream().filter(e -> e.eventId().equals(event.eventId())).findFirst();
        if (sameId.isPresent()) {
            return sameId.get().equals(event) ? new Outcome(null, true, List.of(), null) : rejected(RejectionReason.CONFLICTING_DUPLICATE);
        }
        if (event.occurredAt().isAfter(latestAllowed)) {
            return rejected(RejectionReason.OCCURRED_IN_FUTURE);
        }
        FrameworkId framework;
        if (event.type() == AssessmentEventType.RECORDED) {
            StatementId statement = event.statement().orElseThrow();
            framework = statement.framework();
            if (!frameworks.containsKey(framework)) {
                return rejected(RejectionReason.UNKNOWN_FRAMEWORK);
            }
            if (statement.position() > frameworks.get(framework).statements(statement.level()).size()) {
                return rejected(RejectionReason.UNKNOWN_STATEMENT);
            }
        } else {
            Optional<AssessmentEvent> target = acceptedEvent(event.retracts());
            if (target.isEmpty() || target.get().type() != AssessmentEventType.RECORDED) {
                return rejected(RejectionReason.UNKNOWN_RETRACTION_TARGET);
            }
            if (retractedIds().contains(event.retracts())) {
                return rejected(RejectionReason.ALREADY_RETRACTED);
            }
            framework = target.get().statement().orElseThrow().framework();
        }

        Map<Level, LevelState> before = levels(framework);
        accepted.add(event);
        Map<Level, LevelState> after = levels(framework);

        LevelPolicy policy = policies.get(framework);
        List<Transition> losses = new ArrayList<>();
        List<Transition> gains = new ArrayList<>();
        Map<Level, Integer> counts = achievements.computeIfAbsent(framework, f -> new EnumMap<>(Level.class));
        for (Level level : Level.values()) {
            boolean was = before.get(level).met();
            boolean now = after.get(level).met();
            int sequence = counts.getOrDefault(level, 0);
            if (!was && now) {
                counts.put(level, sequence + 1);
                LevelState state = after.get(level);
                gains.add(new Transition(true, framework, level, sequence + 1, event.eventId(), event.occurredAt(),
                        policy.id(), policy.version(), state.demonstrated(), state.validUntil(), null));
            } else if (was && now && renews(event, policy, before.get(level), after.get(level))) {
                counts.put(level, sequence + 1);
                LevelState state = after.get(level);
                gains.add(new Transition(true, framework, level, sequence + 1, event.eventId(), event.occurredAt(),
                        policy.id(), policy.version(), state.demonstrated(), state.validUntil(), null));
            } else if (was && !now) {
                losses.add(new Transition(false, framework, level, sequence, event.eventId(), event.occurredAt(),
                        policy.id(), policy.version(), List.of(), null,
                        lossReason(event, before.get(level), after.get(level), framework)));
            }
        }
        List<Transition> transitions = new ArrayList<>(losses);
        transitions.addAll(gains);
        return new Outcome(null, false, transitions, framework);
    }

    /**
     * The framework's policy becomes {@code policy} now: every level whose "met" under the new policy
     * differs from under the old one, for the same events, is a transition made at the framework's
     * latest {@code occurredAt} and caused by no event. A lost level whose own statements still reach
     * the threshold lost a lower level; any other was lost to the policy change.
     */
    public List<Transition> changePolicy(FrameworkId framework, LevelPolicy policy) {
        Map<Level, LevelState> before = asOf(framework) == null ? null : levels(framework);
        policies.put(framework, policy);
        if (before == null) {
            return List.of();
        }
        Map<Level, LevelState> after = levels(framework);
        Instant at = asOf(framework);
        List<Transition> losses = new ArrayList<>();
        List<Transition> gains = new ArrayList<>();
        Map<Level, Integer> counts = achievements.computeIfAbsent(framework, f -> new EnumMap<>(Level.class));
        for (Level level : Level.values()) {
            boolean was = before.get(level).met();
            boolean now = after.get(level).met();
            int sequence = counts.getOrDefault(level, 0);
            if (!was && now) {
                counts.put(level, sequence + 1);
                LevelState state = after.get(level);
                gains.add(new Transition(true, framework, level, sequence + 1, null, at, policy.id(), policy.version(),
                        state.demonstrated(), state.validUntil(), null));
            } else if (was && !now) {
                losses.add(new Transition(false, framework, level, sequence, null, at, policy.id(), policy.version(),
                        List.of(), null, after.get(level).reached() ? LossReason.LOWER_LEVEL_LOST : LossReason.POLICY_CHANGED));
            }
        }
        List<Transition> transitions = new ArrayList<>(losses);
        transitions.addAll(gains);
        return transitions;
    }

    /** The policy deciding a framework now. */
    public LevelPolicy policy(FrameworkId framework) {
        return policies.get(framework);
    }

    /** The levels of a framework as the events accepted so far decide them. */
    public Map<Level, LevelState> levels(FrameworkId frameworkId) {
        Framework framework = frameworks.get(frameworkId);
        LevelPolicy policy = policies.get(frameworkId);
        Instant asOf = asOf(frameworkId);
        Set<String> retracted = retractedIds();
        // Every assessment not retracted, by statement: grouped once per call, only to keep this fast.
        Map<String, List<AssessmentEvent>> standing = accepted.stream()
                .filter(e -> e.type() == AssessmentEventType.RECORDED && !retracted.contains(e.eventId()))
                .collect(Collectors.groupingBy(AssessmentEvent::statementId));
        Map<Level, LevelState> levels = new EnumMap<>(Level.class);
        for (Level level : Level.values()) {
            List<DemonstratedStatement> demonstrated = new ArrayList<>();
            for (Statement statement : framework.statements(level)) {
                Optional<AssessmentEvent> latest = standing.getOrDefault(statement.id().toString(), List.of()).stream()
                        .max(Comparator.comparing(AssessmentEvent::occurredAt).thenComparing(AssessmentEvent::eventId));
                if (latest.isEmpty() || latest.get().result() != AssessmentResult.PASS) {
                    continue;
                }
                AssessmentEvent pass = latest.get();
                Instant expiresAt = policy.evidenceValidity() == null ? null
                        : pass.occurredAt().atOffset(ZoneOffset.UTC).plus(policy.evidenceValidity()).toInstant();
                if (expiresAt != null && !asOf.isBefore(expiresAt)) {
                    continue;
                }
                demonstrated.add(new DemonstratedStatement(statement.id().toString(), pass.eventId(), pass.assessor(),
                        pass.method(), pass.occurredAt(), expiresAt));
            }
            int total = framework.statements(level).size();
            boolean reached = demonstrated.size() * 100 >= policy.thresholdPercent() * total;
            boolean lowerMet = level.below().map(lower -> levels.get(lower).met()).orElse(true);
            boolean met = reached && (!policy.cumulative() || lowerMet);
            // Under a cumulative policy a level relies on the passes of every lower level too.
            List<DemonstratedStatement> reliedOn = new ArrayList<>(demonstrated);
            if (policy.cumulative()) {
                for (Level lower : Level.values()) {
                    if (lower.compareTo(level) < 0) {
                        reliedOn.addAll(levels.get(lower).demonstrated());
                    }
                }
            }
            Instant validUntil = reliedOn.stream().map(DemonstratedStatement::expiresAt).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            levels.put(level, new LevelState(reached, met, demonstrated, validUntil));
        }
        return levels;
    }

    /** DESIGN.md "Decision rule": a pass that makes a level met before and after hold longer renews it. */
    private static boolean renews(AssessmentEvent event, LevelPolicy policy, LevelState before, LevelState after) {
        return policy.evidenceValidity() != null && event.type() == AssessmentEventType.RECORDED
                && event.result() == io.credpipe.model.event.AssessmentResult.PASS && before.validUntil() != null
                && (after.validUntil() == null || after.validUntil().isAfter(before.validUntil()));
    }

    /** How many times each level of a framework has been achieved so far. */
    public int achievementCount(FrameworkId framework, Level level) {
        return achievements.getOrDefault(framework, Map.of()).getOrDefault(level, 0);
    }

    /**
     * Why a level stopped being met: a lower level lost, else the event's own retraction or fail of a
     * statement the level counted, else a pass that expired, else (nothing of the level's changed) the policy.
     */
    private LossReason lossReason(AssessmentEvent event, LevelState was, LevelState now, FrameworkId framework) {
        if (now.reached()) {
            return LossReason.LOWER_LEVEL_LOST;
        }
        Set<String> still = now.demonstrated().stream().map(DemonstratedStatement::statementId).collect(Collectors.toSet());
        List<DemonstratedStatement> dropped = was.demonstrated().stream().filter(s -> !still.contains(s.statementId())).toList();
        Set<String> droppedIds = dropped.stream().map(DemonstratedStatement::statementId).collect(Collectors.toSet());
        if (event.type() == AssessmentEventType.RETRACTED
                && droppedIds.contains(acceptedEvent(event.retracts()).orElseThrow().statementId())) {
            return LossReason.RETRACTED;
        }
        if (event.type() == AssessmentEventType.RECORDED && event.result() == AssessmentResult.FAIL
                && droppedIds.contains(event.statementId())) {
            return LossReason.FAILED;
        }
        Instant asOf = asOf(framework);
        if (dropped.stream().anyMatch(s -> s.expiresAt() != null && !asOf.isBefore(s.expiresAt()))) {
            return LossReason.EXPIRED;
        }
        return LossReason.POLICY_CHANGED;
    }

    private Optional<AssessmentEvent> acceptedEvent(String eventId) {
        return accepted.stream().filter(e -> e.eventId().equals(eventId)).findFirst();
    }

    private Set<String> retractedIds() {
        return accepted.stream().filter(e -> e.type() == AssessmentEventType.RETRACTED)
                .map(AssessmentEvent::retracts).collect(Collectors.toSet());
    }

    /** The latest occurredAt of the accepted events of a framework (retractions count in their target's). */
    private Instant asOf(FrameworkId framework) {
        Map<String, AssessmentEvent> byId = accepted.stream().collect(Collectors.toMap(AssessmentEvent::eventId, e -> e));
        return accepted.stream().filter(e -> frameworkOf(e, byId).equals(framework))
                .map(AssessmentEvent::occurredAt).max(Comparator.naturalOrder()).orElse(null);
    }

    /** The framework an accepted event belongs to: its statement's, or for a retraction its target's. */
    private static FrameworkId frameworkOf(AssessmentEvent event, Map<String, AssessmentEvent> acceptedById) {
        AssessmentEvent recorded = event.type() == AssessmentEventType.RECORDED ? event : acceptedById.get(event.retracts());
        return recorded.statement().orElseThrow().framework();
    }

    private static Outcome rejected(RejectionReason reason) {
        return new Outcome(reason, false, List.of(), null);
    }
}
