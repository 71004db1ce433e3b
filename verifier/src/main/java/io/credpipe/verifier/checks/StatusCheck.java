package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.status.StatusStanding;

/**
 * {@link Check#STATUS}: what the issuer's status lists say (W3C Bitstring Status List v1.0 §3.2),
 * as the {@code status} package read it. Revoked and suspended credentials fail. When the status
 * cannot be established (the list cannot be fetched, has expired, or is not validly signed by the
 * credential's issuer) the check cannot tell: never taken for a valid status, yet not proof of
 * revocation either. Skipped when status checking is turned off.
 */
public final class StatusCheck implements CredentialCheck<StatusStanding> {

    @Override
    public String name() {
        return Check.STATUS;
    }

    @Override
    public Check check(StatusStanding standing) {
        String detail = standing.detail();
        return switch (standing.state()) {
            case VALID -> Check.passed(name(), "valid: " + detail);
            case REVOKED -> Check.failed(name(), "revoked: " + detail
                    + "; the issuer has withdrawn this credential, so it must not be accepted");
            case SUSPENDED -> Check.failed(name(), "suspended: " + detail
                    + "; the issuer has suspended this credential, so it is not valid while suspended");
            case UNKNOWN -> Check.cannotTell(name(), "status unknown: " + detail
                    + "; a credential whose revocation status cannot be established is not treated as valid");
            case NOT_CHECKED -> Check.skipped(name(), "not checked: " + detail);
        };
    }
}
