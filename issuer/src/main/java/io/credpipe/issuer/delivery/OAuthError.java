package io.credpipe.issuer.delivery;

import java.util.Objects;

/**
 * A refusal in the OAuth 2.0 error format the OpenID4VCI endpoints answer with (RFC 6749 §5.2,
 * OpenID4VCI 1.0 §6.3, §8.3.1, and the Notification Endpoint's error response): an {@code error} code named exactly as
 * the specification names it, a description for the developer, and the HTTP status.
 */
public final class OAuthError extends RuntimeException {

    private final String error;
    private final int status;

    public OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = Objects.requireNonNull(error, "error");
    }

    /** A 400 with {@code error}. */
    public static OAuthError badRequest(String error, String description) {
        return new OAuthError(400, error, description);
    }

    /** The {@code error} code, e.g. {@code invalid_grant}. */
    public String error() {
        return error;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
