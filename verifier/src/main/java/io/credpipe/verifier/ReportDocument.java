package io.credpipe.verifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link VerificationReport} as a JSON document, what {@code POST /v1/verify} answers and
 * {@code credpipe verify --json} prints: the {@link Verdict}, every check that ran with its outcome,
 * the checks that were not run, and what the credential says (holder, framework, occupation, level,
 * statements, issuer, dates, status). Plain values only, so any Jackson mapper writes it as is.
 *
 * @param verdict    {@code verified}, {@code not-verified} or {@code cannot-tell} (see {@link Verdict#id()})
 * @param checks     every check that ran, in order
 * @param notChecked the checks that were not run, with why (an earlier failure, or a step this
 *                   verifier does not perform)
 * @param summary    what the credential says, once its signature verified; {@code null} otherwise
 * @param bundled    for a CLR 2.0 learner record, what each credential it bundles says; else empty
 */
public record ReportDocument(
        String verdict,
        List<CheckResult> checks,
        List<NotChecked> notChecked,
        @JsonInclude(JsonInclude.Include.ALWAYS) Summary summary,
        List<Summary> bundled) {

    /** {@link CheckResult#outcome()} of a check that passed. */
    public static final String PASS = "pass";
    /** {@link CheckResult#outcome()} of a check that failed. */
    public static final String FAIL = "fail";
    /** {@link CheckResult#outcome()} of a check that could not be decided (see {@link Verdict#undecided}). */
    public static final String CANNOT_TELL = "cannot-tell";

    /**
     * Creates a document.
     *
     * @param verdict    the verdict's id
     * @param checks     the checks that ran
     * @param notChecked the checks that did not run
     * @param summary    the summary, or {@code null}
     * @param bundled    the bundled credentials' summaries
     */
    public ReportDocument {
        Objects.requireNonNull(verdict, "verdict");
        checks = List.copyOf(checks);
        notChecked = List.copyOf(notChecked);
        bundled = List.copyOf(bundled);
    }

    /**
     * The document of a report made just now.
     *
     * @param report the report
     * @return its document
     */
    public static ReportDocument of(VerificationReport report) {
        return of(report, Instant.now());
    }

    /**
     * The document of a report.
     *
     * @param report the report
     * @param now    when the verification ran, to word expiry (e.g. "expired on …")
     * @return its document
     */
    public static ReportDocument of(VerificationReport report, Instant now) {
        List<CheckResult> ran = new ArrayList<>();
        List<NotChecked> skipped = new ArrayList<>();
        for (Check check : report.checks()) {
            switch (check.outcome()) {
                case PASSED -> ran.add(new CheckResult(check.name(), PASS, check.detail(), null));
                case FAILED -> ran.add(new CheckResult(check.name(), Verdict.undecided(check, report) ? CANNOT_TELL : FAIL,
                        check.detail(), PlainLanguage.explain(check, report, now)));
                case CANNOT_TELL -> ran.add(new CheckResult(check.name(), CANNOT_TELL, check.detail(),
                        PlainLanguage.explain(check, report, now)));
                case SKIPPED -> skipped.add(new NotChecked(check.name(), check.detail()));
            }
        }
        return new ReportDocument(Verdict.of(report).id(), ran, skipped,
                report.summary().map(ReportDocument::summary).orElse(null),
                report.bundled().stream().map(ReportDocument::summary).toList());
    }

    /**
     * The verdict as the enum.
     *
     * @return the verdict
     */
    public Verdict verdictValue() {
        for (Verdict v : Verdict.values()) {
            if (v.id().equals(verdict)) {
                return v;
            }
        }
        throw new IllegalStateException("unknown verdict " + verdict);
    }

    /**
     * The checks that failed or could not be decided, in order.
     *
     * @return those checks
     */
    public List<CheckResult> problems() {
        return checks.stream().filter(c -> !c.outcome().equals(PASS)).toList();
    }

    private static Summary summary(CredentialSummary s) {
        String occupation = null;
        List<Statement> statements = new ArrayList<>();
        for (CredentialSummary.Alignment alignment : s.statements()) {
            if ("ext:Occupation".equals(alignment.targetType())) {
                occupation = occupation == null ? alignment.targetName() : occupation;
            } else {
                statements.add(new Statement(alignment.targetCode(), alignment.targetName(), alignment.targetUrl()));
            }
        }
        Status status = s.status()
                .map(st -> new Status(st.state().name().toLowerCase(Locale.ROOT).replace('_', '-'), st.detail()))
                .orElse(null);
        return new Summary(
                s.subject().names().isEmpty() ? null : String.join(", ", s.subject().names()),
                s.subject().id(),
                s.framework(),
                occupation,
                s.level(),
                s.achievement().name(),
                statements,
                new Issuer(s.issuerId(), s.issuerName()),
                s.credentialId(),
                s.validFrom().toString(),
                s.validUntil() == null ? null : s.validUntil().toString(),
                status);
    }

    /**
     * One check that ran.
     *
     * @param name        the check's stable name (see the constants of {@link Check})
     * @param outcome     {@link #PASS}, {@link #FAIL} or {@link #CANNOT_TELL}
     * @param reason      what was found, or why it failed (technical, for the record)
     * @param explanation for a check that did not pass, one sentence a non-specialist understands;
     *                    {@code null} for a check that passed
     */
    public record CheckResult(String name, String outcome, String reason, String explanation) {}

    /**
     * A check that was not run.
     *
     * @param name   the check's stable name
     * @param reason why it was not run
     */
    public record NotChecked(String name, String reason) {}

    /**
     * What a credential says, in an employer's terms.
     *
     * @param holder       the holder's name(s), or {@code null} if the credential names none
     * @param holderId     the holder's id (e.g. {@code urn:uuid:…} or a wallet DID), or {@code null}
     * @param framework    the competency framework, or {@code null}
     * @param occupation   the occupation the achievement aligns to, or {@code null}
     * @param level        the level achieved
     * @param achievement  the achievement's name
     * @param statements   the framework statements the credential covers
     * @param issuer       who issued it
     * @param credentialId the credential's id
     * @param issued       when it became valid (RFC 3339)
     * @param expires      when it stops being valid (RFC 3339), or {@code null} for never
     * @param status       what the issuer's status lists say, or {@code null} when the credential has no status entry
     */
    public record Summary(
            String holder,
            String holderId,
            String framework,
            String occupation,
            String level,
            String achievement,
            List<Statement> statements,
            Issuer issuer,
            String credentialId,
            String issued,
            String expires,
            Status status) {

        /**
         * Creates a summary.
         *
         * @param holder       the holder's name(s)
         * @param holderId     the holder's id
         * @param framework    the framework
         * @param occupation   the occupation
         * @param level        the level
         * @param achievement  the achievement's name
         * @param statements   the statements covered
         * @param issuer       the issuer
         * @param credentialId the credential's id
         * @param issued       when it became valid
         * @param expires      when it expires, or {@code null}
         * @param status       the status, or {@code null}
         */
        public Summary {
            statements = List.copyOf(statements);
        }
    }

    /**
     * One framework statement a credential covers.
     *
     * @param code the statement id, e.g. {@code 51-8091.00@v.26.05/proficient/1}
     * @param name its short name (the topic)
     * @param url  where it is described
     */
    public record Statement(String code, String name, String url) {}

    /**
     * The issuer of a credential.
     *
     * @param id   its id (a URL or DID)
     * @param name its name, or {@code null}
     */
    public record Issuer(String id, String name) {}

    /**
     * A credential's standing in its issuer's status lists.
     *
     * @param state  {@code valid}, {@code revoked}, {@code suspended}, {@code unknown} or {@code not-checked}
     * @param detail which entry of which list said so, or why the standing is unknown
     */
    public record Status(String state, String detail) {}
}
