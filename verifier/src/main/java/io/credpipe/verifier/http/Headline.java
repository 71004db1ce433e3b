package io.credpipe.verifier.http;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.ReportDocument;
import java.time.Instant;
import java.util.List;

/**
 * The heading of a result card. Each way a credential can turn out has its own word, symbol and
 * sentence, so that revoked, suspended, expired, tampered and "cannot tell" are told apart by
 * reading, not by colour alone.
 */
public enum Headline {
    /** Verified. */
    VERIFIED("verified", "Verified", "Signed by its issuer, within its validity period, and not withdrawn."),
    /** Signature or key failure: altered, or not signed by the issuer it names. */
    TAMPERED("tampered", "Tampered or forged", "This credential does not carry its issuer's valid signature. Do not rely on it."),
    /** Revoked in the issuer's status list. */
    REVOKED("revoked", "Revoked", "The issuer has withdrawn this credential for good."),
    /** Suspended in the issuer's status list. */
    SUSPENDED("suspended", "Suspended", "The issuer has put this credential on hold: it is not valid at the moment."),
    /** Past its validity period. */
    EXPIRED("expired", "Expired", "This credential was genuine, but it is past its expiry date."),
    /** Any other failure (unsigned, malformed, inconsistent). */
    NOT_VERIFIED("not-verified", "Not verified", "This credential could not be verified."),
    /** Nothing failed, but something could not be decided. */
    CANNOT_TELL("cannot-tell", "Cannot tell", "Part of the check could not be completed, so this is neither a confirmation nor a rejection. "
            + "Try again later, or ask the issuer.");

    private final String id;
    private final String title;
    private final String lead;

    Headline(String id, String title, String lead) {
        this.id = id;
        this.title = title;
        this.lead = lead;
    }

    /**
     * A stable lower-case name, used as the card's CSS class and symbol.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The card's heading word(s).
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * The sentence under the heading.
     *
     * @return the sentence
     */
    public String lead() {
        return lead;
    }

    private static final List<String> AUTHENTICITY = List.of(Check.KID, Check.SIGNATURE, Check.ALGORITHM, Check.HEADER,
            Check.PROOF, Check.VERIFICATION_METHOD);

    /**
     * The headline of a report: a failed signature or key outranks a revocation, which outranks a
     * suspension, which outranks expiry (a forged credential's status or dates say nothing).
     *
     * @param document the report
     * @param now      when it was made
     * @return the headline
     */
    public static Headline of(ReportDocument document, Instant now) {
        switch (document.verdictValue()) {
            case VERIFIED:
                return VERIFIED;
            case CANNOT_TELL:
                return CANNOT_TELL;
            default:
                break;
        }
        List<String> failed = document.checks().stream()
                .filter(c -> c.outcome().equals(ReportDocument.FAIL)).map(ReportDocument.CheckResult::name).toList();
        if (failed.stream().anyMatch(AUTHENTICITY::contains)) {
            return TAMPERED;
        }
        ReportDocument.Summary summary = document.summary();
        String state = summary == null || summary.status() == null ? "" : summary.status().state();
        if (failed.contains(Check.STATUS) && state.equals("revoked")) {
            return REVOKED;
        }
        if (failed.contains(Check.STATUS) && state.equals("suspended")) {
            return SUSPENDED;
        }
        if (failed.contains(Check.VALID_UNTIL) && summary != null && summary.expires() != null
                && Instant.parse(summary.expires()).isBefore(now)) {
            return EXPIRED;
        }
        return NOT_VERIFIED;
    }
}
