package io.credpipe.evaluator;

import io.credpipe.model.decision.LevelPolicy;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

        Optional<IndexedEvent> seen = ledger.event(operatorId, event.eventId());
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
            Optional<IndexedEvent> target = ledger.event(operatorId, event.retracts());
            if (target.isEmpty() || target.get().type() == AssessmentEventType.RETRACTED) {
                return reject(key, value, new Refusal(event.eventId(), RejectionReason.UNKNOWN_RETRACTION_TARGET,
                        target.isEmpty()
                                ? "/retracts operator " + operatorId + " has no event " + event.retracts()
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
        LevelPolicy policy = policies.policyFor(frameworkId);
        Optional<OperatorContact> known = ledger.contact(operatorId);
        OperatorContact contact = known.orElse(OperatorContact.unknown(operatorId)).merge(event);
        ProgressRule.Outcome outcome = ProgressRule.apply(ledger.progress(operatorId, frameworkId).orElse(null),
                event, framework.get(), policy, contact.asOperator());
        if (outcome instanceof Refusal refusal) {
            return reject(key, value, refusal);
        }
        ProgressRule.Applied applied = (ProgressRule.Applied) outcome;
        ledger.putProgress(applied.progress());
        ledger.putEvent(operatorId, event.eventId(), new IndexedEvent(accepted.contentHash(), event.type(), frameworkId));
        if (known.isEmpty() || !known.get().equals(contact)) {
            ledger.putContact(contact);
        }
        return new Verdict.Accepted(operatorId, applied.decisions());
    }

    private Verdict reject(String key, byte[] value, Refusal refusal) {
        String original = value == null ? null : new String(value, StandardCharsets.UTF_8);
        Rejection rejection = new Rejection(refusal.eventId(), refusal.reason(), refusal.detail(), refusal.pointer(),
                STAGE, clock.instant(), original);
        return new Verdict.Rejected(refusal.eventId() != null ? refusal.eventId() : key, rejection);
    }
}
