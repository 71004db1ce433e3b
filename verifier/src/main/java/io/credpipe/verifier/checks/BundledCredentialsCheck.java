package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.credential.ValidityPeriod;
import io.credpipe.verifier.status.StatusStanding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Check#BUNDLED_CREDENTIALS}: every credential a CLR 2.0 learner record bundles is within
 * its validity period and, status checked, neither revoked nor suspended (fails) nor of unknown
 * status (cannot tell). The
 * record's signature vouches for the bundled credentials; one that also carries its own embedded
 * Data Integrity proof (so that it verifies when taken out of the record) fails unless that proof
 * verifies too,
 * and a record holding one credential that is no longer current is not verified, since an employer
 * reads it as the holder's current standing.
 */
public final class BundledCredentialsCheck implements CredentialCheck<List<BundledCredentialsCheck.Bundled>> {

    private final Clock clock;
    private final Duration clockSkew;

    /**
     * One bundled credential and what its issuer's status lists say about it.
     *
     * @param credential the bundled credential
     * @param standing   its standing; empty when it has no {@code credentialStatus}
     */
    public record Bundled(CredentialPayload credential, Optional<StatusStanding> standing, Optional<String> proofFailure) {
        /**
         * Creates the triple.
         *
         * @param credential   the bundled credential
         * @param standing     its standing, empty without {@code credentialStatus}
         * @param proofFailure why its own embedded Data Integrity proof does not verify; empty when
         *                     it verifies or the credential carries none
         */
        public Bundled {
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(standing, "standing");
            Objects.requireNonNull(proofFailure, "proofFailure");
        }

        /**
         * A bundled credential without an embedded proof of its own.
         *
         * @param credential the bundled credential
         * @param standing   its standing, empty without {@code credentialStatus}
         */
        public Bundled(CredentialPayload credential, Optional<StatusStanding> standing) {
            this(credential, standing, Optional.empty());
        }
    }

    /**
     * Creates the check.
     *
     * @param clock     what "now" is
     * @param clockSkew how far the issuer's clock may differ from ours
     */
    public BundledCredentialsCheck(Clock clock, Duration clockSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    }

    @Override
    public String name() {
        return Check.BUNDLED_CREDENTIALS;
    }

    @Override
    public Check check(List<Bundled> bundled) {
        Instant now = clock.instant();
        List<String> notCurrent = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean statusChecked = true;
        for (int i = 0; i < bundled.size(); i++) {
            CredentialPayload credential = bundled.get(i).credential();
            String which = "credential " + (i + 1) + " (" + credential.credentialId() + ")";
            Instant from = CredentialPayload.dateTime(credential.validFrom());
            Instant until = CredentialPayload.dateTime(credential.validUntil());
            ValidityPeriod period = new ValidityPeriod(from, until);
            if (from == null) {
                notCurrent.add(which + ": validFrom \"" + credential.validFrom() + "\" is not a date-time with a time zone");
            } else if (period.notYetValid(now, clockSkew)) {
                notCurrent.add(which + " is not valid before " + from);
            }
            if (credential.validUntil() != null && until == null) {
                notCurrent.add(which + ": validUntil \"" + credential.validUntil() + "\" is not a date-time with a time zone");
            } else if (period.expired(now, clockSkew)) {
                notCurrent.add(which + " expired at " + until);
            }
            bundled.get(i).proofFailure().ifPresent(failure -> notCurrent.add(which + " carries an embedded proof that "
                    + "does not verify: " + failure));
            Optional<StatusStanding> standing = bundled.get(i).standing();
            if (standing.isPresent()) {
                switch (standing.get().state()) {
                    case REVOKED, SUSPENDED -> notCurrent.add(which + " is " + standing.get().describe());
                    case UNKNOWN -> unknown.add(which + " is " + standing.get().describe());
                    case NOT_CHECKED -> statusChecked = false;
                    case VALID -> { }
                }
            }
        }
        if (!notCurrent.isEmpty()) {
            notCurrent.addAll(unknown);
            return Check.failed(name(), notCurrent.size() + " of " + bundled.size()
                    + " bundled credentials are not current: " + String.join("; ", notCurrent));
        }
        if (!unknown.isEmpty()) {
            return Check.cannotTell(name(), "cannot tell whether " + unknown.size() + " of " + bundled.size()
                    + " bundled credentials are current: " + String.join("; ", unknown));
        }
        return Check.passed(name(), (bundled.size() == 1 ? "the credential is" : "all " + bundled.size()
                + " credentials are") + " within their validity period" + (statusChecked
                ? " and valid in their issuer's status lists"
                : "; their status was not checked"));
    }
}
