package io.credpipe.evaluator.http;

import io.credpipe.evaluator.rule.OperatorProgressReport;
import java.util.Optional;

/**
 * What the progress route needs from the evaluator's state, given to it by the service root: the
 * route knows HTTP, not where or how progress is stored.
 */
public interface ProgressQueries {

    /**
     * The {@code host:port} of the instance that owns the operator's progress, when that is another
     * instance (known only in a split deployment).
     */
    Optional<String> remoteOwner(String operatorId);

    /** The {@code host:port} this instance is known by to the others, when it is one of several. */
    Optional<String> selfAddress();

    /**
     * The operator's progress from this instance.
     *
     * @throws io.credpipe.model.problem.ProblemException 503 when it cannot be read here now
     */
    OperatorProgressReport report(String operatorId);
}
