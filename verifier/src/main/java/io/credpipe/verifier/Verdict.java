package io.credpipe.verifier;

import io.credpipe.verifier.status.StatusStanding;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one-word answer an employer reads first: verified, not verified, or cannot tell.
 *
 * <p>"Cannot tell" is its own answer because a credential whose standing could not be established
 * is neither proven good nor proven bad: DESIGN.md ("Interfaces people use") requires that a status
 * list that cannot be fetched, has expired or is not validly signed reads "cannot tell", never
 * "valid" — and an employer should not read it as a forgery either. W3C Bitstring Status List
 * v1.0 §3.2 likewise treats a list that cannot be retrieved or verified as an error of the status
 * check, not as a status of the credential.
 */
public enum Verdict {
    /** Signed by a trusted issuer key, within its validity period, and neither revoked nor suspended. */
    VERIFIED("verified"),
    /** At least one check failed: tampered, not the issuer's, expired, revoked, suspended or malformed. */
    NOT_VERIFIED("not-verified"),
    /**
     * No check failed, but at least one could not be decided: the credential or the issuer's keys
     * could not be fetched, or its status list could not be fetched, has expired or is not validly
     * signed.
     */
    CANNOT_TELL("cannot-tell");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /**
     * The stable name used in JSON ({@code verified}, {@code not-verified}, {@code cannot-tell}).
     *
     * @return the name
     */
    public String id() {
        return id;
    }

    /**
     * The verdict of a report: {@link #NOT_VERIFIED} when any check failed, {@link #CANNOT_TELL} when
     * none failed but one could not be decided (see {@link #undecided(Check, VerificationReport)}),
     * {@link #VERIFIED} otherwise — which requires {@link VerificationReport#verified()}.
     *
     * @param report the report
     * @return the verdict
     */
    public static Verdict of(VerificationReport report) {
        // A check that could not decide (Check.Outcome.CANNOT_TELL) never makes the answer "not verified".
        boolean undecided = !report.undecided().isEmpty();
        for (Check check : report.checks()) {
            if (!check.isFailed()) {
                continue;
            }
            if (!undecided(check, report)) {
                return NOT_VERIFIED;
            }
            undecided = true;
        }
        return undecided || !report.verified() ? CANNOT_TELL : VERIFIED;
    }

    /**
     * Whether a failed check failed for want of an answer rather than because of what the
     * credential says:
     * <ul>
     *   <li>{@link Check#INPUT}: the credential could not be read or fetched, so nothing was judged;</li>
     *   <li>{@link Check#TRUSTED_KEYS}: the issuer's public keys could not be had, so the signature
     *       could not be checked (a key that is had but does not fit fails {@link Check#KID} or
     *       {@link Check#SIGNATURE} instead);</li>
     *   <li>{@link Check#STATUS} with an {@link StatusStanding.State#UNKNOWN unknown} standing: the
     *       status list could not be fetched, has expired or is not validly signed;</li>
     *   <li>{@link Check#BUNDLED_CREDENTIALS} when the only credentials of a learner record that are
     *       not current are those of unknown standing (none revoked, suspended or expired).</li>
     * </ul>
     *
     * @param check  a failed check of {@code report}
     * @param report the report it belongs to
     * @return {@code true} if the failure means "cannot tell"
     */
    public static boolean undecided(Check check, VerificationReport report) {
        if (!check.isFailed()) {
            return false;
        }
        return switch (check.name()) {
            case Check.INPUT, Check.TRUSTED_KEYS -> true;
            case Check.STATUS -> report.summary().flatMap(CredentialSummary::status)
                    .map(s -> s.state() == StatusStanding.State.UNKNOWN)
                    .orElse(false);
            case Check.BUNDLED_CREDENTIALS -> onlyUnknownStanding(report.bundled());
            default -> false;
        };
    }

    private static boolean onlyUnknownStanding(List<CredentialSummary> bundled) {
        Instant now = Instant.now();
        boolean unknown = false;
        for (CredentialSummary credential : bundled) {
            Optional<StatusStanding.State> state = credential.status().map(StatusStanding::state);
            if (state.isPresent() && (state.get() == StatusStanding.State.REVOKED || state.get() == StatusStanding.State.SUSPENDED)) {
                return false;
            }
            if (credential.validUntil() != null && credential.validUntil().isBefore(now)) {
                return false;
            }
            unknown |= state.isPresent() && state.get() == StatusStanding.State.UNKNOWN;
        }
        return unknown;
    }
}
