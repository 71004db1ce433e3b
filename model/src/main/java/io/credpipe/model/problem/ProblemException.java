package io.credpipe.model.problem;

import java.util.Objects;

/**
 * Thrown by request handlers to answer with a {@link Problem}; the HTTP server renders it as
 * {@code application/problem+json} with the problem's status. Carries no stack trace to users.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail());
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The problem to answer with. */
    public Problem problem() {
        return problem;
    }
}
