package io.credpipe.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdict of reports the verifier makes, from their checks alone. */
class VerdictTest {

    private static final Check SIGNED = new Check(Check.SIGNATURE, Check.Outcome.PASSED, "ES256 signature verifies");

    @Test
    void noFailureAndAVerifiedSignatureIsVerified() {
        VerificationReport report = new VerificationReport(List.of(SIGNED,
                new Check(Check.CREDENTIAL_SCHEMA, Check.Outcome.SKIPPED, "not checked")), Optional.empty());
        assertThat(Verdict.of(report)).isEqualTo(Verdict.VERIFIED);
        assertThat(ReportDocument.of(report).verdict()).isEqualTo("verified");
        assertThat(ReportDocument.of(report).notChecked()).extracting(ReportDocument.NotChecked::name).containsExactly("credential-schema");
    }

    @Test
    void anyFailureIsNotVerifiedEvenBesideAnUndecidedOne() {
        VerificationReport report = new VerificationReport(List.of(SIGNED,
                new Check(Check.VALID_UNTIL, Check.Outcome.FAILED, "expired at …"),
                new Check(Check.TRUSTED_KEYS, Check.Outcome.FAILED, "cannot fetch")), Optional.empty());
        assertThat(Verdict.of(report)).isEqualTo(Verdict.NOT_VERIFIED);
    }

    @Test
    void keysOrCredentialThatCannotBeHadIsCannotTell() {
        VerificationReport keys = new VerificationReport(List.of(
                new Check(Check.TRUSTED_KEYS, Check.Outcome.FAILED, "cannot fetch the issuer's keys"),
                new Check(Check.SIGNATURE, Check.Outcome.SKIPPED, "not checked")), Optional.empty());
        assertThat(Verdict.of(keys)).isEqualTo(Verdict.CANNOT_TELL);
        assertThat(ReportDocument.of(keys).checks().get(0).outcome()).isEqualTo("cannot-tell");
        VerificationReport input = new VerificationReport(List.of(new Check(Check.INPUT, Check.Outcome.FAILED, "HTTP 404")), Optional.empty());
        assertThat(Verdict.of(input)).isEqualTo(Verdict.CANNOT_TELL);
    }

    @Test
    void aStatusFailureWithoutAStandingIsNotVerified() {
        // Only an unknown standing is undecided; without a summary there is nothing to say it was unknown.
        VerificationReport report = new VerificationReport(List.of(SIGNED,
                new Check(Check.STATUS, Check.Outcome.FAILED, "revoked")), Optional.empty());
        assertThat(Verdict.of(report)).isEqualTo(Verdict.NOT_VERIFIED);
    }

    @Test
    void noSignatureAndNoFailureIsCannotTell() {
        VerificationReport report = new VerificationReport(List.of(
                new Check(Check.SIGNATURE, Check.Outcome.SKIPPED, "not checked")), Optional.empty());
        assertThat(Verdict.of(report)).isEqualTo(Verdict.CANNOT_TELL);
    }
}
