package io.credpipe.verifier;

import io.credpipe.verifier.status.StatusStanding;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * One sentence per failed or undecided check that a person who has never heard of signatures or
 * status lists understands. The check's {@link Check#detail() detail} stays the precise, technical
 * account; this is what an employer reads on the result card.
 */
final class PlainLanguage {

    /** Dates on the card and in sentences: day, month in words and year, which no locale misreads. */
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private PlainLanguage() {}

    /**
     * The sentence for a check that failed or could not be decided.
     *
     * @param check  a failed check
     * @param report the report it belongs to, for the facts the sentence names (dates, standing)
     * @param now    the moment of the verification, to tell an expired credential from inconsistent dates
     * @return the sentence
     */
    static String explain(Check check, VerificationReport report, Instant now) {
        Optional<CredentialSummary> summary = report.summary();
        return switch (check.name()) {
            case Check.INPUT -> "The credential could not be read or downloaded from where it was given, so nothing about it could be checked.";
            case Check.COMPACT_JWS -> check.detail().startsWith("not secured")
                    ? "This is an unsigned copy of a credential: anyone could have written it, so it proves nothing. Ask for the signed credential (a .jwt file or its link)."
                    : "This is not a signed credential in a form that can be checked.";
            case Check.ALGORITHM, Check.HEADER -> "The credential is not signed in a way that proves who issued it.";
            case Check.TRUSTED_KEYS -> "The issuer's public keys could not be obtained, so it cannot be checked who signed the credential.";
            case Check.KID -> "The credential was not signed with any of the keys the issuer publishes, so it is not the issuer's.";
            case Check.PROOF -> "The credential's embedded proof is not one that shows who issued it.";
            case Check.VERIFICATION_METHOD -> check.isCannotTell()
                    ? "The issuer's public keys could not be obtained, so it cannot be checked who signed the credential."
                    : "The credential was not signed with a key the issuer it names publishes, so it is not the issuer's.";
            case Check.SIGNATURE -> "The credential has been altered since it was issued, or it was not signed by the issuer it names.";
            case Check.CREDENTIAL -> "The signed document is not a complete, well-formed credential.";
            case Check.ISS, Check.JTI, Check.SUB -> "The credential's signed details contradict each other, so it cannot be relied on.";
            case Check.VALID_FROM -> summary.isPresent() && summary.get().validFrom().isAfter(now)
                    ? "The credential is not valid yet: it becomes valid on " + DAY.format(summary.get().validFrom()) + "."
                    : "The credential's start date is missing or contradicts its signed details.";
            case Check.VALID_UNTIL -> summary.isPresent() && summary.get().validUntil() != null
                    && summary.get().validUntil().isBefore(now)
                    ? "The credential expired on " + DAY.format(summary.get().validUntil()) + "."
                    : "The credential's expiry date is missing or contradicts its signed details.";
            case Check.STATUS -> status(summary.flatMap(CredentialSummary::status));
            case Check.BUNDLED_CREDENTIALS -> Verdict.undecided(check, report)
                    ? "For at least one credential in this learner record it could not be checked with the issuer whether it has been withdrawn."
                    : "At least one credential in this learner record has expired or been withdrawn by the issuer.";
            case Check.CREDENTIAL_SCHEMA -> "The credential does not match the format it says it follows.";
            default -> "A check of the credential did not pass: " + check.name() + ".";
        };
    }

    /** The verifier's detail names the step that failed; anything else gets the general sentence. */
    private static String whyUnknown(String detail) {
        if (detail.contains("cannot retrieve")) {
            return "the issuer's status list could not be downloaded.";
        }
        if (detail.contains("does not verify")) {
            return "the issuer's status list is not validly signed, so it may have been tampered with.";
        }
        if (detail.contains("expired")) {
            return "the issuer's status list has expired.";
        }
        return "the issuer's status list could not be downloaded, has expired or is not validly signed.";
    }

    private static String status(Optional<StatusStanding> standing) {
        if (standing.isEmpty()) {
            return "It could not be checked with the issuer whether the credential has been withdrawn.";
        }
        return switch (standing.get().state()) {
            case REVOKED -> "The issuer has revoked this credential: it is no longer valid.";
            case SUSPENDED -> "The issuer has suspended this credential: it is not valid for now, and may be reinstated later.";
            case UNKNOWN, NOT_CHECKED -> "It could not be checked with the issuer whether the credential has been revoked: "
                    + whyUnknown(standing.get().detail());
            case VALID -> "The issuer has not withdrawn this credential.";
        };
    }
}
