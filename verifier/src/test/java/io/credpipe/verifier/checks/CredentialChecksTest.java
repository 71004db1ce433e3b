package io.credpipe.verifier.checks;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.credential.CredentialSchemas;
import io.credpipe.verifier.status.StatusStanding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks of a credential's content, each alone on a payload (or what {@code status} read). */
class CredentialChecksTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static CredentialPayload valid() {
        return Credentials.read(Credentials.payload());
    }

    @Test
    void theTestCredentialPassesEveryContentCheck() {
        CredentialPayload credential = valid();
        List<CredentialCheck<CredentialPayload>> checks = List.of(new CredentialFormCheck(), ClaimCheck.iss(),
                ClaimCheck.jti(), ClaimCheck.sub(), new ValidFromCheck(CLOCK, SKEW), new ValidUntilCheck(CLOCK, SKEW));
        for (CredentialCheck<CredentialPayload> check : checks) {
            Check result = check.check(credential);
            assertThat(result.name()).isEqualTo(check.name());
            assertThat(result.outcome()).as(result.detail()).isEqualTo(Check.Outcome.PASSED);
        }
    }

    @Test
    void credentialFormNamesWhatIsMissing() {
        ObjectNode payload = Credentials.payload();
        payload.remove("validFrom");
        payload.withArray("type").removeAll().add("VerifiableCredential");
        Check check = new CredentialFormCheck().check(Credentials.read(payload));
        assertThat(check.isFailed()).isTrue();
        assertThat(check.detail()).contains("no validFrom").contains("OpenBadgeCredential or AchievementCredential");
    }

    @Test
    void claimsMustMatchTheCredential() {
        ObjectNode payload = Credentials.payload();
        payload.put("iss", "https://impostor.example");
        payload.remove("jti");
        payload.put("sub", 7);
        CredentialPayload credential = Credentials.read(payload);
        assertThat(ClaimCheck.iss().check(credential).detail()).contains("does not match issuer.id");
        assertThat(ClaimCheck.jti().check(credential).detail()).contains("the jti claim is missing");
        assertThat(ClaimCheck.sub().check(credential).detail()).contains("must be a string, was 7");
    }

    @Test
    void aSubjectWithoutIdNeedsNoSubButMustNotHaveOne() {
        ObjectNode payload = Credentials.payload();
        ((ObjectNode) payload.get("credentialSubject")).remove("id");
        assertThat(ClaimCheck.sub().check(Credentials.read(payload)).isFailed()).isTrue();
        payload.remove("sub");
        assertThat(ClaimCheck.sub().check(Credentials.read(payload)).detail()).startsWith("no sub");
    }

    @Test
    void validFromComparesNbfAndTheClockWithSkew() {
        CredentialPayload credential = valid();
        Instant from = CredentialPayload.dateTime(credential.validFrom());
        assertThat(new ValidFromCheck(Clock.fixed(from.minus(SKEW), ZoneOffset.UTC), SKEW).check(credential).isFailed())
                .isFalse();
        Check early = new ValidFromCheck(Clock.fixed(from.minus(SKEW).minusSeconds(1), ZoneOffset.UTC), SKEW).check(credential);
        assertThat(early.detail()).startsWith("not yet valid").endsWith("(allowing 5 min of clock skew)");

        ObjectNode payload = Credentials.payload();
        payload.put("nbf", from.getEpochSecond() + 1);
        assertThat(new ValidFromCheck(CLOCK, SKEW).check(Credentials.read(payload)).detail()).contains("does not match validFrom");
    }

    @Test
    void validUntilComparesExpAndTheClockWithSkewAndGivesTheExpiry() {
        CredentialPayload credential = valid();
        Instant until = CredentialPayload.dateTime(credential.validUntil());
        assertThat(ValidUntilCheck.expiry(credential)).isEqualTo(until);
        assertThat(new ValidUntilCheck(Clock.fixed(until.plus(SKEW), ZoneOffset.UTC), SKEW).check(credential).isFailed())
                .isFalse();
        assertThat(new ValidUntilCheck(Clock.fixed(until.plus(SKEW).plusSeconds(1), ZoneOffset.UTC), SKEW)
                .check(credential).detail()).startsWith("expired at " + until);

        ObjectNode payload = Credentials.payload();
        payload.remove("exp");
        assertThat(new ValidUntilCheck(CLOCK, SKEW).check(Credentials.read(payload)).detail()).contains("exp claim is missing");
        payload.remove("validUntil");
        assertThat(new ValidUntilCheck(CLOCK, SKEW).check(Credentials.read(payload)).detail()).isEqualTo("does not expire");
        assertThat(ValidUntilCheck.expiry(Credentials.read(payload))).isNull();
    }

    private static final CredentialSchemas SCHEMAS = new CredentialSchemas();

    @Test
    void theSchemaCheckAppliesOnlyWhenASchemaIsNamed() {
        ObjectNode payload = Credentials.payload();
        payload.remove("credentialSchema");
        assertThat(new SchemaCheck(SCHEMAS).appliesTo(Credentials.read(payload))).isFalse();
        payload.putArray("credentialSchema").addObject().put("id", "https://example.org/schema.json").put("type", "1EdTechJsonSchemaValidator2019");
        assertThat(new SchemaCheck(SCHEMAS).appliesTo(Credentials.read(payload))).isTrue();
    }

    private static ObjectNode withObSchema(ObjectNode payload) {
        payload.putArray("credentialSchema").addObject().put("id", CredentialSchemas.OB_ACHIEVEMENT_CREDENTIAL)
                .put("type", CredentialSchemas.VALIDATOR_TYPE);
        return payload;
    }

    @Test
    void theTestCredentialIsValidAgainstTheBundledObSchema() {
        Check check = new SchemaCheck(SCHEMAS).check(Credentials.read(withObSchema(Credentials.payload())));
        assertThat(check.outcome()).as(check.detail()).isEqualTo(Check.Outcome.PASSED);
        assertThat(check.detail()).isEqualTo("valid against " + CredentialSchemas.OB_ACHIEVEMENT_CREDENTIAL);
    }

    @Test
    void aCredentialBreakingTheSchemaFailsNamingWhere() {
        ObjectNode payload = withObSchema(Credentials.payload());
        // OB 3.0 B.1.13 IdentityObject is closed and needs identityHash.
        ((ObjectNode) payload.get("credentialSubject")).putArray("identifier").addObject()
                .put("type", "IdentityObject").put("hashed", false).put("identityType", "name").put("colour", "blue");
        Check check = new SchemaCheck(SCHEMAS).check(Credentials.read(payload));
        assertThat(check.isFailed()).isTrue();
        assertThat(check.detail()).startsWith("not valid against " + CredentialSchemas.OB_ACHIEVEMENT_CREDENTIAL)
                .contains("identifier");
    }

    @Test
    void formatsAreAnnotationsNotAssertions() {
        // Draft 2019-09 §7.2: "format" annotates. networknt would otherwise assert it (its email
        // format even checks top-level domains against a list); dates are the date checks' job.
        ObjectNode payload = withObSchema(Credentials.payload());
        payload.put("awardedDate", "last spring");
        CredentialPayload credential = Credentials.read(payload);
        assertThat(new SchemaCheck(SCHEMAS).check(credential).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(SCHEMAS.violations(CredentialSchemas.OB_ACHIEVEMENT_CREDENTIAL, payload.put("awardedDate", 7)))
                .hasValueSatisfying(violations -> assertThat(violations).isNotEmpty());
    }

    @Test
    void anUnknownSchemaOrValidatorCannotTellAndIsNeverFetched() {
        ObjectNode payload = Credentials.payload();
        payload.putArray("credentialSchema").addObject().put("id", "https://example.org/schema.json")
                .put("type", "1EdTechJsonSchemaValidator2019");
        Check unknown = new SchemaCheck(SCHEMAS).check(Credentials.read(payload));
        assertThat(unknown.outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
        assertThat(unknown.detail()).contains("https://example.org/schema.json").contains("never fetches");

        payload.putArray("credentialSchema").addObject().put("id", CredentialSchemas.OB_ACHIEVEMENT_CREDENTIAL)
                .put("type", "JsonSchema");
        assertThat(new SchemaCheck(SCHEMAS).check(Credentials.read(payload)).outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
    }

    @Test
    void statusPassesOnlyAValidStanding() {
        StatusCheck check = new StatusCheck();
        assertThat(check.check(new StatusStanding(StatusStanding.State.VALID, "entry 3 is 0")).outcome())
                .isEqualTo(Check.Outcome.PASSED);
        assertThat(check.check(new StatusStanding(StatusStanding.State.REVOKED, "entry 3 is set")).detail())
                .startsWith("revoked: entry 3 is set");
        assertThat(check.check(new StatusStanding(StatusStanding.State.SUSPENDED, "x")).isFailed()).isTrue();
        Check unknown = check.check(new StatusStanding(StatusStanding.State.UNKNOWN, "HTTP 500"));
        assertThat(unknown.outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
        assertThat(unknown.detail()).startsWith("status unknown: HTTP 500").contains("not treated as valid");
        assertThat(check.check(new StatusStanding(StatusStanding.State.NOT_CHECKED, "off")).outcome())
                .isEqualTo(Check.Outcome.SKIPPED);
    }

    @Test
    void bundledCredentialsMustAllBeCurrentAndInGoodStanding() {
        BundledCredentialsCheck check = new BundledCredentialsCheck(CLOCK, SKEW);
        BundledCredentialsCheck.Bundled good = new BundledCredentialsCheck.Bundled(valid(), Optional.empty());
        assertThat(check.check(List.of(good)).detail()).startsWith("the credential is within their validity period");

        ObjectNode expired = credentialJson().put("validUntil", "2026-05-25T00:00:00Z");
        BundledCredentialsCheck.Bundled old = new BundledCredentialsCheck.Bundled(Credentials.read(expired), Optional.empty());
        BundledCredentialsCheck.Bundled revoked = new BundledCredentialsCheck.Bundled(valid(),
                Optional.of(new StatusStanding(StatusStanding.State.REVOKED, "set")));
        Check failed = check.check(List.of(good, old, revoked));
        assertThat(failed.detail()).startsWith("2 of 3 bundled credentials are not current")
                .contains("expired at 2026-05-25T00:00:00Z").contains("is REVOKED: set");

        BundledCredentialsCheck.Bundled unknown = new BundledCredentialsCheck.Bundled(valid(),
                Optional.of(new StatusStanding(StatusStanding.State.UNKNOWN, "HTTP 500")));
        Check cannotTell = check.check(List.of(good, unknown));
        assertThat(cannotTell.outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
        assertThat(cannotTell.detail()).startsWith("cannot tell whether 1 of 2 bundled credentials are current");
        assertThat(check.check(List.of(old, unknown)).isFailed()).isTrue();

        BundledCredentialsCheck.Bundled unchecked = new BundledCredentialsCheck.Bundled(valid(),
                Optional.of(new StatusStanding(StatusStanding.State.NOT_CHECKED, "off")));
        assertThat(check.check(List.of(good, unchecked)).detail()).endsWith("their status was not checked");
    }

    private static ObjectNode credentialJson() {
        return io.credpipe.verifier.TestIssuer.credential();
    }
}
