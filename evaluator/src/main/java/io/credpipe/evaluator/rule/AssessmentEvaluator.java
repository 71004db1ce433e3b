package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one {@code assessments} record into a {@link Verdict}: validates it, recognises replays and
 * conflicting reuses of an event id, finds the framework (for a retraction, that of the assessment it
 * withdraws), applies the {@link ProgressRule} and records what it accepted in the
 * {@link EvaluatorLedger}. Nothing is dropped silently: every record is accepted, a replay, or
 * rejected with a reason.
 *
 * <p>Checks run in this order, the first failure deciding the reason: well-formed JSON object, fields,
 * operator and key, replay or conflicting duplicate, {@code occurredAt} not in the future, framework
 * loaded (retraction target known), statement in the framework (retraction target not yet retracted).
 */
public final class AssessmentEvaluator {

    /** How far ahead of the evaluator's clock an {@code occurredAt} may be by default. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** The {@code stage} of every rejection the evaluator makes. */
    public static final String STAGE = "evaluator";

    private final AssessmentReader reader = new AssessmentReader();
    private final FrameworkCatalogue frameworks;
    private final LevelPolicies policies;
    private final Clock clock;
    private final Duration maxClockSkew;

    /**
     * @param frameworks the frameworks loaded
     * @param policies the policy of each framework
     * @param clock the wall clock, for future timestamps and {@code rejectedAt}
     * @param maxClockSkew how far ahead of {@code clock} an {@code occurredAt} may be
     */
    public AssessmentEvaluator(FrameworkCatalogue frameworks, LevelPolicies policies, Clock clock, Duration maxClockSkew) {
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative: " + maxClockSkew);
        }
    }

    /**
     * Evaluates one record and, when it is accepted, records it in {@code ledger}.
     *
     * @param key the record key (the operator id)
     * @param value the record value exactly as received
     * @param ledger the evaluator's state for the record's partition
     */
    public Verdict evaluate(String key, byte[] value, EvaluatorLedger ledger) {
        AssessmentReader.Result read = reader.read(key, value);
        if (read instanceof Refusal refusal) {
            return reject(key, value, refusal);
        }
        AssessmentReader.Read accepted = (AssessmentReader.Read) read;
        AssessmentEvent event = accepted.event();
        String operatorId = event.operatorId();

        Optional<IndexedEvent> seen = indexed(ledger, operatorId, event.source(), event.eventId());
        if (seen.isPresent()) {
            return seen.get().contentHash().equals(accepted.contentHash())
                    ? new Verdict.Duplicate(event.eventId())
                    : reject(key, value, new Refusal(event.eventId(), RejectionReason.CONFLICTING_DUPLICATE,
                            "event " + event.eventId() + " was already accepted with different content", null));
        }
        Instant latestAllowed = clock.instant().plus(maxClockSkew);
        if (event.occurredAt().isAfter(latestAllowed)) {
            return reject(key, value, new Refusal(event.eventId(), RejectionReason.OCCURRED_IN_FUTURE,
                    "/occurredAt " + event.occurredAt() + " is more than " + maxClockSkew + " after the evaluator's clock ("
                            + clock.instant() + ")",
                    "/occurredAt"));
        }

        FrameworkId frameworkId;
        if (event.type() == AssessmentEventType.RECORDED) {
            frameworkId = event.statement().orElseThrow().framework();
        } else {
            // Only the source that sent an assessment may retract it: to another source it does not exist.
            Optional<IndexedEvent> target = indexed(ledger, operatorId, event.source(), event.retracts());
            if (target.isEmpty() || target.get().type() == AssessmentEventType.RETRACTED) {
                return reject(key, value, new Refusal(event.eventId(), RejectionReason.UNKNOWN_RETRACTION_TARGET,
                        target.isEmpty()
                                ? "/retracts operator " + operatorId + " has no event " + event.retracts() + " from source "
                                        + event.source()
                                : "/retracts event " + event.retracts() + " is itself a retraction; only assessments can be retracted",
                        "/retracts"));
            }
            frameworkId = target.get().framework();
        }
        Optional<Framework> framework = frameworks.find(frameworkId);
        if (framework.isEmpty()) {
            boolean recorded = event.type() == AssessmentEventType.RECORDED;
            return reject(key, value, new Refusal(event.eventId(), RejectionReason.UNKNOWN_FRAMEWORK,
                    (recorded ? "/statementId " : "") + "framework " + frameworkId + " is not loaded",
                    recorded ? "/statementId" : null));
        }
        LevelPolicy policy = policies.policyFor(framework.get());
        OperatorProgress current = ledger.progress(operatorId, frameworkId).orElse(null);
        OperatorContact contact = (current == null ? OperatorContact.unknown(operatorId) : current.contactOrUnknown()).merge(event);
        // A policy change not yet applied to this operator takes effect before the event, as it did in time.
        List<LevelDecision> decisions = new ArrayList<>();
        if (current != null && !policy.ref().equals(current.policy())) {
            ProgressRule.Applied reevaluated = ProgressRule.reevaluate(current, framework.get(), policy, contact.asOperator());
            current = reevaluated.progress();
            decisions.addAll(reevaluated.decisions());
        }
        ProgressRule.Outcome outcome = ProgressRule.apply(current, event, framework.get(), policy, contact.asOperator());
        if (outcome instanceof Refusal refusal) {
            return reject(key, value, refusal);
        }
        ProgressRule.Applied applied = (ProgressRule.Applied) outcome;
        decisions.addAll(applied.decisions());
        OperatorProgress stored = applied.progress().withContact(contact);
        ledger.putProgress(stored);
        ledger.putEvent(operatorId, IndexedEvent.key(event.source(), event.eventId()), new IndexedEvent(accepted.contentHash(), event.type(), frameworkId, event.source()));
        return new Verdict.Accepted(operatorId, withLatestContact(decisions, stored, ledger));
    }

    /**
     * The accepted event {@code eventId} of {@code source}: under its sourced key, or, indexed before
     * events were keyed by source (when the ledger may hold such entries), under its bare id when that
     * entry is the same source's (or of an unknown source, as before sources were recorded).
     */
    private static Optional<IndexedEvent> indexed(EvaluatorLedger ledger, String operatorId, String source, String eventId) {
        Optional<IndexedEvent> sourced = ledger.event(operatorId, IndexedEvent.key(source, eventId));
        if (sourced.isPresent() || !ledger.mayHoldBareEventIds()) {
            return sourced;
        }
        return ledger.event(operatorId, eventId).filter(legacy -> legacy.retractableBy(source));
    }

    /**
     * The decisions carrying the operator's latest name and e-mail over all their frameworks: the rule
     * saw only this framework's events. Reading every framework's progress costs a scan, so it is done
     * only when there are decisions, which most events do not make.
     */
    private static List<LevelDecision> withLatestContact(List<LevelDecision> decisions, OperatorProgress stored,
            EvaluatorLedger ledger) {
        if (decisions.isEmpty()) {
            return decisions;
        }
        List<OperatorContact> contacts = new ArrayList<>();
        for (OperatorProgress other : ledger.progressOf(stored.operatorId())) {
            if (!other.framework().equals(stored.framework()) && other.contact() != null) {
                contacts.add(other.contact());
            }
        }
        if (contacts.isEmpty()) {
            return decisions;
        }
        contacts.add(stored.contactOrUnknown());
        Operator operator = OperatorContact.latest(stored.operatorId(), contacts).asOperator();
        List<LevelDecision> carried = new ArrayList<>(decisions.size());
        for (LevelDecision decision : decisions) {
            if (decision.operator().equals(operator)) {
                carried.add(decision);
            } else if (decision instanceof LevelAchieved a) {
                carried.add(new LevelAchieved(operator, a.framework(), a.level(), a.sequence(), a.statements(),
                        a.achievedAt(), a.validUntil(), a.policy(), a.causedBy()));
            } else {
                LevelLost l = (LevelLost) decision;
                carried.add(new LevelLost(operator, l.framework(), l.level(), l.sequence(), l.reason(), l.detail(),
                        l.lostAt(), l.policy(), l.causedBy()));
            }
        }
        return carried;
    }

    /**
     * Re-decides one operator's progress when the effective policy of its framework is not the one it
     * was last evaluated under (see {@link LevelPolicies#policyFor(Framework)}), and records the result
     * in {@code ledger}. Nothing happens when the policy is unchanged or the framework is not loaded.
     *
     * @param progress the operator's stored progress in one framework
     * @param ledger the evaluator's state for the operator's partition
     * @return the transitions the new policy causes, possibly none; empty when nothing was re-decided
     */
    public Optional<Verdict.Accepted> reconcile(OperatorProgress progress, EvaluatorLedger ledger) {
        Optional<Framework> framework = frameworks.find(progress.framework());
        if (framework.isEmpty()) {
            return Optional.empty();
        }
        LevelPolicy policy = policies.policyFor(framework.get());
        if (policy.ref().equals(progress.policy())) {
            return Optional.empty();
        }
        ProgressRule.Applied reevaluated = ProgressRule.reevaluate(progress, framework.get(), policy,
                progress.contactOrUnknown().asOperator());
        ledger.putProgress(reevaluated.progress());
        return Optional.of(new Verdict.Accepted(progress.operatorId(),
                withLatestContact(reevaluated.decisions(), reevaluated.progress(), ledger)));
    }

    /** The effective policy of a loaded framework. */
    public LevelPolicy policyFor(Framework framework) {
        return policies.policyFor(framework);
    }

    private Verdict reject(String key, byte[] value, Refusal refusal) {
        String original = value == null ? null : new String(value, StandardCharsets.UTF_8);
        Rejection rejection = new Rejection(refusal.eventId(), refusal.reason(), refusal.detail(), refusal.pointer(),
                STAGE, clock.instant(), original);
        return new Verdict.Rejected(refusal.eventId() != null ? refusal.eventId() : key, rejection);
    }
}
