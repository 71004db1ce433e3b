package io.credpipe.model.problem;

import java.util.Map;
import java.util.Objects;

/**
 * Thrown by request handlers to answer with a {@link Problem}; the HTTP server renders it as
 * {@code application/problem+json} with the problem's status. Carries no stack trace to users.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    /**
     * @param problem the problem to answer with
     * @param headers response headers the status calls for, e.g. {@code Retry-After} with 503 and 429
     *     (RFC 9110 §10.2.3) or {@code WWW-Authenticate} with 401 (RFC 9110 §15.5.2)
     */
    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail());
        this.problem = Objects.requireNonNull(problem, "problem");
        this.headers = Map.copyOf(headers);
    }

    /** Response headers to send with the problem. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The problem to answer with. */
    public Problem problem() {
        return problem;
    }
}
