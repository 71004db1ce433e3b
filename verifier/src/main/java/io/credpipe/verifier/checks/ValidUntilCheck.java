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
 * {@link Check#VALID_UNTIL}: {@code exp}, when present, sets {@code validUntil} and is required when
 * the credential has one (OB 3.0 §8.2.4.1, §8.2.6.1); after it the credential is expired (§9.1
 * step 4), allowing for clock skew.
 */
public final class ValidUntilCheck implements CredentialCheck<CredentialPayload> {

    private final Clock clock;
    private final Duration clockSkew;
    private final boolean jwtClaims;

    /**
     * Creates the check.
     *
     * @param clock     what "now" is
     * @param clockSkew how far the issuer's clock may be behind ours
     */
    public ValidUntilCheck(Clock clock, Duration clockSkew) {
        this(clock, clockSkew, true);
    }

    /**
     * Creates the check; without {@code jwtClaims} (a credential secured by an embedded proof, which
     * has no JWT claims) only the credential's own date is read.
     *
     * @param clock     what "now" is
     * @param clockSkew how far the issuer's clock may differ from ours
     * @param jwtClaims whether the {@code exp} claim must match it
     */
    public ValidUntilCheck(Clock clock, Duration clockSkew, boolean jwtClaims) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.jwtClaims = jwtClaims;
    }

    @Override
    public String name() {
        return Check.VALID_UNTIL;
    }

    @Override
    public Check check(CredentialPayload credential) {
        Instant validUntil = CredentialPayload.dateTime(credential.validUntil());
        JsonNode expNode = jwtClaims ? credential.claim("exp") : null;
        Instant exp = CredentialPayload.numericDate(expNode);
        if (credential.validUntil() != null && validUntil == null) {
            return Check.failed(name(), "validUntil \"" + credential.validUntil() + "\" is not a date-time with a time zone");
        }
        if (expNode != null && exp == null) {
            return Check.failed(name(), "the exp claim must be a NumericDate, was " + expNode);
        }
        if (exp == null && validUntil == null) {
            return Check.passed(name(), "does not expire");
        }
        if (!jwtClaims) {
            exp = Instant.ofEpochSecond(validUntil.getEpochSecond());
        }
        if (exp == null) {
            return Check.failed(name(), "validUntil is " + validUntil + " but the exp claim is missing (OB 3.0 §8.2.4.1 requires it)");
        }
        if (validUntil != null && !exp.equals(Instant.ofEpochSecond(validUntil.getEpochSecond()))) {
            return Check.failed(name(), "exp " + exp + " does not match validUntil " + validUntil);
        }
        Instant expiry = validUntil == null ? exp : validUntil;
        Instant now = clock.instant();
        if (new ValidityPeriod(null, expiry).expired(now, clockSkew)) {
            return Check.failed(name(), "expired at " + expiry + ", it is now " + now + ValidityPeriod.skewNote(clockSkew));
        }
        return Check.passed(name(), "valid until " + expiry);
    }

    /**
     * The moment the credential stops being valid, as a summary shows it: {@code validUntil}, else
     * {@code exp}; where they disagree, {@code exp}.
     *
     * @param credential the credential
     * @return the expiry, or {@code null} for none (or none that can be read)
     */
    public static Instant expiry(CredentialPayload credential) {
        Instant validUntil = CredentialPayload.dateTime(credential.validUntil());
        if (credential.validUntil() != null && validUntil == null) {
            return null;
        }
        JsonNode expNode = credential.claim("exp");
        Instant exp = CredentialPayload.numericDate(expNode);
        if (exp == null) {
            return validUntil;
        }
        if (validUntil != null && !exp.equals(Instant.ofEpochSecond(validUntil.getEpochSecond()))) {
            return exp;
        }
        return validUntil == null ? exp : validUntil;
    }
}
