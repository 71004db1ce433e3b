package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's progress in every framework they were assessed in, as {@code GET
 * /v1/operators/{id}/progress} answers it. Carries no name or e-mail address.
 *
 * @param operatorId the operator
 * @param frameworks one entry per loaded framework the operator has accepted assessments in, by framework id
 */
public record OperatorProgressReport(String operatorId, List<FrameworkReport> frameworks) {

    public OperatorProgressReport {
        Objects.requireNonNull(operatorId, "operatorId");
        frameworks = List.copyOf(frameworks);
    }

    /**
     * Reports stored progress. Levels are shown as the decisions left them ({@code met}); statements
     * are judged at the progress's {@code asOf}, the instant the decisions were made at. A framework
     * no longer loaded is left out: its statements cannot be named.
     */
    public static OperatorProgressReport of(
            String operatorId, List<OperatorProgress> progress, FrameworkCatalogue frameworks, LevelPolicies policies) {
        List<FrameworkReport> reports = new ArrayList<>();
        for (OperatorProgress one : progress) {
            Optional<Framework> framework = frameworks.find(one.framework());
            if (framework.isEmpty()) {
                continue;
            }
            LevelPolicy policy = policies.policyFor(framework.get());
            List<LevelReport> levels = new ArrayList<>();
            for (LevelProgress level : ProgressRule.evaluate(one, framework.get(), policy, one.asOf())) {
                LevelStanding standing = one.standing(level.level());
                levels.add(new LevelReport(level.level(), standing.met(), standing.sequence(), level.total(),
                        level.demonstrated(), level.missing(), standing.met() ? level.validUntil() : null));
            }
            reports.add(new FrameworkReport(one.framework(), framework.get().title(), policy.ref(), one.asOf(), levels));
        }
        reports.sort(Comparator.comparing(r -> r.framework().toString()));
        return new OperatorProgressReport(operatorId, reports);
    }

    /**
     * Progress in one framework.
     *
     * @param framework the framework
     * @param title its title (the occupation)
     * @param policy the policy its levels are decided under
     * @param asOf the latest {@code occurredAt} applied: statements are judged at this instant
     * @param levels every level, emerging first
     */
    public record FrameworkReport(FrameworkId framework, String title, PolicyRef policy, Instant asOf, List<LevelReport> levels) {

        public FrameworkReport {
            levels = List.copyOf(levels);
        }
    }

    /**
     * Progress on one level.
     *
     * @param level the level
     * @param met whether it is met, as the latest decision says
     * @param achievements how many times it was achieved (the latest achievement's sequence)
     * @param statements how many statements it has
     * @param demonstrated the statements demonstrated, with the passes and their expiry
     * @param missing the ids of the statements not demonstrated
     * @param validUntil while met, the earliest expiry the level relies on; {@code null} when none or not met
     */
    public record LevelReport(
            Level level,
            boolean met,
            int achievements,
            int statements,
            List<DemonstratedStatement> demonstrated,
            List<String> missing,
            Instant validUntil) {

        public LevelReport {
            demonstrated = List.copyOf(demonstrated);
            missing = List.copyOf(missing);
        }
    }
}
