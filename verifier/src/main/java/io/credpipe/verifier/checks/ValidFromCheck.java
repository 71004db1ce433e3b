package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.credential.ValidityPeriod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link Check#VALID_FROM}: {@code nbf} MUST equal {@code validFrom}, which MUST have occurred
 * (OB 3.0 §8.2.6.1, §9.1 step 4), allowing for clock skew.
 */
public final class ValidFromCheck implements CredentialCheck<CredentialPayload> {

    private final Clock clock;
    private final Duration clockSkew;
    private final boolean jwtClaims;

    /**
     * Creates the check.
     *
     * @param clock     what "now" is
     * @param clockSkew how far the issuer's clock may be ahead of ours
     */
    public ValidFromCheck(Clock clock, Duration clockSkew) {
        this(clock, clockSkew, true);
    }

    /**
     * Creates the check; without {@code jwtClaims} (a credential secured by an embedded proof, which
     * has no JWT claims) only the credential's own date is read.
     *
     * @param clock     what "now" is
     * @param clockSkew how far the issuer's clock may differ from ours
     * @param jwtClaims whether the {@code nbf} claim must match it
     */
    public ValidFromCheck(Clock clock, Duration clockSkew, boolean jwtClaims) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.jwtClaims = jwtClaims;
    }

    @Override
    public String name() {
        return Check.VALID_FROM;
    }

    @Override
    public Check check(CredentialPayload credential) {
        Instant validFrom = CredentialPayload.dateTime(credential.validFrom());
        JsonNode nbfNode = jwtClaims ? credential.claim("nbf") : null;
        Instant nbf = CredentialPayload.numericDate(nbfNode);
        if (credential.validFrom() != null && validFrom == null) {
            return Check.failed(name(), "validFrom \"" + credential.validFrom() + "\" is not a date-time with a time zone");
        }
        if (!jwtClaims && validFrom == null) {
            return Check.failed(name(), "the credential has no validFrom (OB 3.0 requires one)");
        }
        if (!jwtClaims) {
            nbf = Instant.ofEpochSecond(validFrom.getEpochSecond());
        } else if (nbfNode == null) {
            return Check.failed(name(), "the nbf claim is missing; OB 3.0 §8.2.6.1 requires it to equal validFrom");
        }
        if (jwtClaims && nbf == null) {
            return Check.failed(name(), "the nbf claim must be a NumericDate, was " + nbfNode);
        }
        if (validFrom == null) {
            return Check.failed(name(), "the credential has no validFrom to match nbf " + nbf);
        }
        if (!nbf.equals(Instant.ofEpochSecond(validFrom.getEpochSecond()))) {
            return Check.failed(name(), "nbf " + nbf + " does not match validFrom " + validFrom);
        }
        Instant now = clock.instant();
        if (new ValidityPeriod(validFrom, null).notYetValid(now, clockSkew)) {
            return Check.failed(name(), "not yet valid: valid from " + validFrom + ", it is now " + now
                    + ValidityPeriod.skewNote(clockSkew));
        }
        return Check.passed(name(), "valid from " + validFrom);
    }
}
