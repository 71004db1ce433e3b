package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.Verdict;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluator's meters:
 *
 * <ul>
 *   <li>{@value #REJECTIONS} (tag {@code reason}: the wire id, e.g. {@code unknown_statement}), one
 *       counter per {@link RejectionReason}, registered up front so that a reason never seen reads 0;
 *   <li>{@value #DECISIONS} (tag {@code type}: {@code level.achieved} or {@code level.lost});
 *   <li>{@value #EVENTS} (tag {@code outcome}: {@code accepted}, {@code replay} or {@code rejected});
 *   <li>{@value #DEAD_LETTERS} (tag {@code stage}: {@code evaluator} for an assessment record,
 *       {@code evaluator/policy-change} for a re-decision): records set aside to
 *       {@code assessments-dead-letter} because processing them failed; anything above 0 is a defect to fix;
 *   <li>{@value #POLICY_CONFLICTS}: level-policy conflicts found between the policy file and a
 *       framework's own policy (same version, other content), each counted once per task that finds it.
 * </ul>
 *
 * <p>Counters count processing, not published records: after a crash, the records of an aborted
 * transaction are processed (and counted) again, so they can run slightly ahead of the topics.
 */
public final class EvaluatorMetrics {

    /** Rejected assessment events, by reason. */
    public static final String REJECTIONS = "credpipe.evaluator.rejections";
    /** Level decisions published, by type. */
    public static final String DECISIONS = "credpipe.evaluator.decisions";
    /** Assessment records evaluated, by outcome. */
    public static final String EVENTS = "credpipe.evaluator.events";

    /** Records that could not be processed, set aside to the dead-letter topic. */
    public static final String DEAD_LETTERS = "credpipe.evaluator.dead.letters";

    /** Level-policy conflicts found. */
    public static final String POLICY_CONFLICTS = "credpipe.evaluator.policy.conflicts";

    private final Map<RejectionReason, Counter> rejections = new EnumMap<>(RejectionReason.class);
    private final Counter achieved;
    private final Counter lost;
    private final Counter accepted;
    private final Counter replayed;
    private final Counter rejected;
    private final Counter policyConflicts;
    private final MeterRegistry meters;

    public EvaluatorMetrics(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        deadLetters("evaluator");
        deadLetters("evaluator/policy-change");
        for (RejectionReason reason : RejectionReason.values()) {
            rejections.put(reason, Counter.builder(REJECTIONS).tag("reason", reason.id())
                    .description("Assessment events rejected to assessments-rejected, by reason").register(meters));
        }
        achieved = decisions(meters, "level.achieved");
        lost = decisions(meters, "level.lost");
        accepted = events(meters, "accepted");
        replayed = events(meters, "replay");
        rejected = events(meters, "rejected");
        policyConflicts = Counter.builder(POLICY_CONFLICTS)
                .description("Frameworks whose own level policy contradicts the policy file at the same version").register(meters);
    }

    /** Counts a level-policy conflict found. */
    public void policyConflict() {
        policyConflicts.increment();
    }

    /** Counts a record set aside to the dead-letter topic by {@code stage}. */
    public void deadLetter(String stage) {
        deadLetters(stage).increment();
    }

    private Counter deadLetters(String stage) {
        return Counter.builder(DEAD_LETTERS).tag("stage", stage)
                .description("Records the evaluator could not process, set aside to assessments-dead-letter").register(meters);
    }

    /** Counts the transitions a policy change caused. */
    public void record(List<LevelDecision> decisions) {
        for (LevelDecision decision : decisions) {
            (decision instanceof LevelAchieved ? achieved : lost).increment();
        }
    }

    /** Counts what one record came to. */
    public void record(Verdict verdict) {
        if (verdict instanceof Verdict.Accepted decided) {
            accepted.increment();
            for (LevelDecision decision : decided.decisions()) {
                (decision instanceof LevelAchieved ? achieved : lost).increment();
            }
        } else if (verdict instanceof Verdict.Rejected refused) {
            rejected.increment();
            rejections.get(refused.rejection().reason()).increment();
        } else {
            replayed.increment();
        }
    }

    private static Counter decisions(MeterRegistry meters, String type) {
        return Counter.builder(DECISIONS).tag("type", type).description("Level decisions published to achievements")
                .register(meters);
    }

    private static Counter events(MeterRegistry meters, String outcome) {
        return Counter.builder(EVENTS).tag("outcome", outcome).description("Assessment records evaluated")
                .register(meters);
    }
}
