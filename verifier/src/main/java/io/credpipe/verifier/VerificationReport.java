package io.credpipe.verifier;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one credential, or one CLR 2.0 learner record: every check in the order
 * it ran and, once the signature verified, a summary of what the credential says, or of each
 * credential the learner record bundles.
 *
 * <p>A credential is {@linkplain #verified() verified} when its signature check passed and no
 * check failed or could not tell. Skipped checks do not fail a credential: they are either consequences of an
 * earlier failure or steps this verifier does not perform (e.g. JSON Schema validation, or status
 * when checking it was turned off), and
 * {@link #describe()} lists the latter so a person sees what was not checked.
 *
 * @param checks  the checks, in the order they ran
 * @param summary what the credential says; present only when its signature verified with a
 *                trusted key and its payload is an Open Badges 3.0 credential, which may still be
 *                the case for a credential that is not verified (expired, say); empty for a
 *                learner record
 * @param bundled what each credential a learner record bundles says, in the record's order, once
 *                the record's signature verified and it is well formed; empty for a credential
 */
public record VerificationReport(List<Check> checks, Optional<CredentialSummary> summary,
        List<CredentialSummary> bundled) {

    /**
     * Creates a report.
     *
     * @param checks  the checks, in the order they ran
     * @param summary what the credential says, if its signature verified
     * @param bundled what each credential a learner record bundles says, if its signature verified
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if a summary is given although the signature check did not
     *                                  pass: unauthenticated data must never look verified
     */
    public VerificationReport {
        checks = List.copyOf(checks);
        Objects.requireNonNull(summary, "summary");
        bundled = List.copyOf(bundled);
        if ((summary.isPresent() || !bundled.isEmpty()) && !passed(checks, Check.SIGNATURE)) {
            throw new IllegalArgumentException("a summary needs a verified signature");
        }
    }

    /**
     * Creates the report of a credential (not a learner record).
     *
     * @param checks  the checks, in the order they ran
     * @param summary what the credential says, if its signature verified
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if a summary is given although the signature check did not pass
     */
    public VerificationReport(List<Check> checks, Optional<CredentialSummary> summary) {
        this(checks, summary, List.of());
    }

    /**
     * Whether the credential is verified: its signature verified with a trusted key and every
     * check that ran passed (none failed, none {@linkplain Check.Outcome#CANNOT_TELL could not tell}).
     *
     * @return {@code true} if the credential may be treated as verified (OB 3.0 §9.1)
     */
    public boolean verified() {
        return passed(checks, Check.SIGNATURE) && checks.stream().noneMatch(c -> c.isFailed() || c.isCannotTell());
    }

    /**
     * The checks that ran but could not decide, in order.
     *
     * @return those checks; empty when every check that ran decided
     */
    public List<Check> undecided() {
        return checks.stream().filter(Check::isCannotTell).toList();
    }

    /**
     * The checks that failed, in order.
     *
     * @return the failed checks; empty when none failed
     */
    public List<Check> failures() {
        return checks.stream().filter(Check::isFailed).toList();
    }

    /**
     * The check with this name.
     *
     * @param name a check name, e.g. {@link Check#SIGNATURE}
     * @return the check, or empty if this report has none of that name
     */
    public Optional<Check> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * A short multi-line text for terminals: the verdict, who holds the credential, what level of
     * which achievement, how many statements it aligns to, when it was issued and expires, its
     * status (valid, REVOKED, SUSPENDED, unknown or not checked) when it has a status entry, and
     * every failed check with its reason (or, for a verified credential, what was not checked).
     * For a learner record, the same for each credential it bundles.
     *
     * @return the description, lines separated by {@code \n}, ending with a line break
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        List<Check> failures = failures();
        List<Check> undecided = undecided();
        if (verified() && !bundled.isEmpty()) {
            text.append("VERIFIED: a learner record (CLR 2.0) signed by a trusted issuer key; ")
                    .append(bundled.size() == 1 ? "the credential" : "all " + bundled.size() + " credentials")
                    .append(bundled.size() == 1 ? " it bundles is currently valid\n" : " it bundles are currently valid\n");
        } else if (verified()) {
            text.append("VERIFIED: signed by a trusted issuer key and currently valid\n");
        } else if (failures.isEmpty() && !undecided.isEmpty()) {
            text.append("NOT VERIFIED: cannot tell; ").append(undecided.size())
                    .append(undecided.size() == 1 ? " check could not decide\n" : " checks could not decide\n");
        } else if (failures.isEmpty()) {
            text.append("NOT VERIFIED: the signature was not checked\n");
        } else {
            text.append("NOT VERIFIED: ").append(failures.size())
                    .append(failures.size() == 1 ? " check failed\n" : " checks failed\n");
        }
        summary.ifPresent(s -> describe(s, text));
        for (int i = 0; i < bundled.size(); i++) {
            text.append(i == 0 ? "" : "\n").append("Credential ").append(i + 1).append(" of ").append(bundled.size())
                    .append(":\n");
            describe(bundled.get(i), text);
        }
        if (!failures.isEmpty()) {
            text.append("Failed:\n");
            failures.forEach(c -> text.append("  - ").append(c.name()).append(": ").append(c.detail()).append('\n'));
        }
        if (!undecided.isEmpty()) {
            text.append("Cannot tell:\n");
            undecided.forEach(c -> text.append("  - ").append(c.name()).append(": ").append(c.detail()).append('\n'));
        }
        if (failures.isEmpty() && undecided.isEmpty()) {
            List<Check> notChecked = checks.stream().filter(c -> c.outcome() == Check.Outcome.SKIPPED).toList();
            if (!notChecked.isEmpty()) {
                text.append("Not checked:\n");
                notChecked.forEach(c -> text.append("  - ").append(c.name()).append(": ").append(c.detail()).append('\n'));
            }
        }
        return text.toString();
    }

    private static void describe(CredentialSummary s, StringBuilder text) {
        CredentialSummary.Subject subject = s.subject();
        StringBuilder who = new StringBuilder(subject.names().isEmpty() ? "(no name given)" : String.join(", ", subject.names()));
        if (subject.id() != null) {
            who.append(" [").append(subject.id()).append(']');
        }
        if (subject.emailHashPresent()) {
            who.append(", e-mail hash on record");
        }
        line(text, "Who", who.toString());
        String type = s.achievement().achievementType() == null ? "" : " (" + s.achievement().achievementType() + ")";
        line(text, "What", orUnknown(s.achievement().name()) + type);
        line(text, "Level", orUnknown(s.level()));
        if (s.framework() != null) {
            line(text, "Framework", s.framework());
        }
        line(text, "Issuer", s.issuerName() == null ? s.issuerId() : s.issuerName() + " [" + s.issuerId() + "]");
        line(text, "Issued", s.validFrom().toString());
        line(text, "Expires", s.validUntil() == null ? "never" : s.validUntil().toString());
        line(text, "Signed with", s.keyId() + " (" + s.algorithm() + ")");
        s.status().ifPresent(status -> line(text, "Status", status.describe()));
        // Which statements the holder met is what an employer reads the credential for.
        line(text, "Aligned to", s.statements().size() + (s.statements().size() == 1 ? " target" : " targets"));
        for (CredentialSummary.Alignment alignment : s.statements()) {
            text.append("  - ").append(orUnknown(alignment.targetCode()));
            if (alignment.targetName() != null) {
                text.append("  ").append(alignment.targetName());
            }
            text.append('\n');
        }
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("%-12s %s", label + ":", value)).append('\n');
    }

    private static String orUnknown(String value) {
        return value == null ? "(not stated)" : value;
    }

    private static boolean passed(List<Check> checks, String name) {
        return checks.stream().anyMatch(c -> c.name().equals(name) && c.outcome() == Check.Outcome.PASSED);
    }
}
