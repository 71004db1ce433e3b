package io.credpipe.verifier.status;

import java.util.Objects;

/**
 * What the issuer's status lists say about a credential (W3C Bitstring Status List v1.0 §3.2).
 *
 * @param state  the standing
 * @param detail for people: which entry of which list said so, the status message, or why the
 *               standing is unknown or was not checked
 */
public record StatusStanding(State state, String detail) {

    /**
     * Creates a standing.
     *
     * @param state  the standing
     * @param detail the explanation
     * @throws NullPointerException if an argument is {@code null}
     */
    public StatusStanding {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * The text {@code VerificationReport.describe()} shows, e.g. {@code REVOKED: …} or
     * {@code unknown (…)}.
     *
     * @return a one-line description
     */
    public String describe() {
        return switch (state) {
            case VALID -> "valid (" + detail + ")";
            case REVOKED -> "REVOKED: " + detail;
            case SUSPENDED -> "SUSPENDED: " + detail;
            case UNKNOWN -> "unknown (" + detail + ")";
            case NOT_CHECKED -> "not checked (" + detail + ")";
        };
    }

    /** A credential's standing, from the worst to the best known. */
    public enum State {
        /** The issuer revoked the credential: it is not valid, and revocation is final (§2.1). */
        REVOKED,
        /** The issuer suspended the credential: it is not valid now, but may be reinstated. */
        SUSPENDED,
        /** The status list could not be retrieved or is not valid: the credential is not treated as valid. */
        UNKNOWN,
        /** Status checking was turned off ({@code CredentialVerifier.Builder.checkStatus(false)}). */
        NOT_CHECKED,
        /** Every status entry of the credential is zero: neither revoked nor suspended. */
        VALID
    }
}
