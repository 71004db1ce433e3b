package io.credpipe.model.auth;

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
}
