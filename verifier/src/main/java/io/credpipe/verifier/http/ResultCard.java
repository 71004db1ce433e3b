package io.credpipe.verifier.http;

import io.credpipe.verifier.ReportDocument;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the result card of the page shows for one verification: the headline, what the credential
 * says, and one plain sentence per check that failed or could not be decided.
 *
 * @param headline what the card says first
 * @param document the full report
 * @param source   what was verified, for people: the URL, or "pasted text" / the file name
 */
public record ResultCard(Headline headline, ReportDocument document, String source) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /**
     * Creates a card.
     *
     * @param headline the headline
     * @param document the report
     * @param source   what was verified
     */
    public ResultCard {
        Objects.requireNonNull(headline, "headline");
        Objects.requireNonNull(document, "document");
    }

    /**
     * The card of a report.
     *
     * @param document the report
     * @param source   what was verified
     * @param now      when it was verified
     * @return the card
     */
    public static ResultCard of(ReportDocument document, String source, Instant now) {
        return new ResultCard(Headline.of(document, now), document, source);
    }

    /** @return what the credential says, or {@code null} when its signature did not verify */
    public ReportDocument.Summary summary() {
        return document.summary();
    }

    /** @return the checks that failed or could not be decided */
    public List<ReportDocument.CheckResult> problems() {
        return document.problems();
    }

    /** @return whether the check could not be decided rather than failed */
    public static boolean undecided(ReportDocument.CheckResult check) {
        return check.outcome().equals(ReportDocument.CANNOT_TELL);
    }

    /** @return an RFC 3339 instant as a date people read, e.g. {@code 20 May 2029}; "never" for {@code null} */
    public static String day(String instant) {
        return instant == null ? "never" : DAY.format(Instant.parse(instant));
    }

    /** @return the status in one or two words: Valid, REVOKED, SUSPENDED, Unknown, Not checked */
    public String status() {
        ReportDocument.Summary summary = document.summary();
        if (summary == null || summary.status() == null) {
            return "No status list";
        }
        return switch (summary.status().state()) {
            case "valid" -> "Not withdrawn (checked with the issuer)";
            case "revoked" -> "Revoked by the issuer";
            case "suspended" -> "Suspended by the issuer";
            case "unknown" -> "Unknown: the issuer's status list could not be checked";
            default -> "Not checked";
        };
    }

    /** @return the issuer as people read it: its name and its id */
    public String issuer() {
        ReportDocument.Issuer issuer = document.summary().issuer();
        return issuer.name() == null ? issuer.id() : issuer.name();
    }

    /**
     * A link target that is safe to put in {@code href}: only http(s) URLs, since a credential's
     * content is the issuer's to choose.
     *
     * @param url a URL from the credential
     * @return the URL, or {@code null} when it is not http(s)
     */
    public static String safeHref(String url) {
        if (url == null) {
            return null;
        }
        try {
            String scheme = URI.create(url).getScheme();
            return "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme) ? url : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
