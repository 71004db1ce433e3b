package io.credpipe.app;

import io.credpipe.evaluator.http.ProgressQueries;
import io.credpipe.evaluator.rule.OperatorProgressReport;
import io.credpipe.issuer.delivery.OperatorProgress;
import io.credpipe.model.problem.ProblemException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The evaluator's progress as the issuer's operator page reads it: the port the issuer defines,
 * over the evaluator's own queries, wired here because the issuer must not depend on the evaluator.
 * Only progress this process holds is read; an operator whose progress lives on another evaluator
 * instance (a split deployment) gets a page drawn from their credentials, rather than a request
 * forwarded with no API key to forward.
 */
final class ProgressLadders implements OperatorProgress {

    private final ProgressQueries queries;

    ProgressLadders(ProgressQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public Optional<List<FrameworkLadder>> of(String operatorId) {
        if (queries.remoteOwner(operatorId).isPresent()) {
            return Optional.empty();
        }
        OperatorProgressReport report;
        try {
            report = queries.report(operatorId);
        } catch (ProblemException e) {
            return Optional.empty();
        }
        return Optional.of(report.frameworks().stream()
                .map(framework -> new FrameworkLadder(framework.framework(), framework.levels().stream()
                        .map(level -> new Rung(level.level(), level.met(), level.demonstrated(), level.missing(),
                                level.validUntil()))
                        .toList()))
                .toList());
    }
}
