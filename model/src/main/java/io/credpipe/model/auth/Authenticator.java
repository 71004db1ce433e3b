package io.credpipe.model.auth;

import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.util.Map;
import java.util.Optional;

/**
 * Establishes who holds an API key. Implemented where keys are kept (ingest); passed by the app to
 * every service with protected routes, so there is one notion of a caller across the API.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param apiKey the key as sent ({@code Authorization: Bearer <key>}), never logged
     * @return the caller, or empty when the key is unknown or revoked
     */
    Optional<Caller> authenticate(String apiKey);

    /**
     * The caller named by a request's {@code Authorization} header, a bearer token (RFC 6750 §2.1).
     * Without one, the answer is 401 with the bare challenge RFC 6750 §3 asks for; with a token
     * that is not a known key, 401 with {@code error="invalid_token"} (§3.1). The key is never
     * part of a message.
     *
     * @param authorization the header's value; {@code null} when the request has none
     * @param hint what the client should send, e.g. "an administrator's API key"
     * @throws ProblemException {@code unauthorized} (401) as described
     */
    default Caller caller(String authorization, String hint) {
        if (authorization == null || authorization.isBlank()) {
            throw new ProblemException(Problem.of("unauthorized", "Unauthorized", 401,
                    "send " + hint + " as Authorization: Bearer <key>"),
                    Map.of("WWW-Authenticate", "Bearer realm=\"credpipe\""));
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        Optional<Caller> caller = parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")
                ? authenticate(parts[1].strip())
                : Optional.empty();
        return caller.orElseThrow(() -> new ProblemException(Problem.of("unauthorized", "Unauthorized", 401,
                        "the API key is not valid (unknown or revoked)"),
                Map.of("WWW-Authenticate", "Bearer realm=\"credpipe\", error=\"invalid_token\"")));
    }
}
