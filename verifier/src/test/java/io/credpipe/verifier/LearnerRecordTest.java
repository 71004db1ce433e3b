package io.credpipe.verifier;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.status.StatusStanding;
import io.credpipe.verifier.credential.CredentialPayload;
import java.io.IOException;
import io.credpipe.verifier.status.CredentialStatusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CLR 2.0 learner records as the credpipe issuer signs them: a {@code ClrCredential} whose subject
 * bundles the holder's Open Badges credentials, decoded and without proofs of their own, secured
 * with the same JWT proof.
 */
class LearnerRecordTest {

    private static final TestIssuer ISSUER = new TestIssuer();
    private static final String ISSUER_ID = "https://credentials.example.com/issuer";
    private static final String SUBJECT_ID = "did:example:ebfeb1f712ebc6f1c276e12ec21";
    private static final String LIST_URL = "https://credentials.example.com/v1/status/0-0";
    private static final int FIRST = 1_000;
    private static final int SECOND = 2_000;

    private final Map<URI, String> served = new HashMap<>();
    private final List<URI> fetched = new ArrayList<>();

    private CredentialVerifier verifier(boolean checkStatus) {
        return CredentialVerifier.builder()
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .checkStatus(checkStatus)
                .statusLists(url -> {
                    fetched.add(url);
                    String list = served.get(url);
                    if (list == null) {
                        throw new IOException("HTTP 404 from " + url);
                    }
                    return list;
                })
                .build();
    }

    /** The status list, with the given values (0 valid, 1 revoked, 2 suspended) at the given indexes. */
    private void serveList(Map<Integer, Integer> values) {
        ObjectNode list = CredentialStatusTest.listCredential(LIST_URL, ISSUER_ID, "message",
                CredentialStatusTest.encodedList(131_072, 2, values));
        served.put(URI.create(LIST_URL), ISSUER.es256(CredentialStatusTest.listPayload(list)));
    }

    private static ObjectNode bundledCredential(String id, int index) {
        ObjectNode credential = TestIssuer.credential();
        credential.put("id", id);
        credential.set("credentialStatus", CredentialStatusTest.messageEntry(LIST_URL, index));
        return credential;
    }

    private static ObjectNode first() {
        return bundledCredential("urn:uuid:00000000-0000-5000-8000-000000000001", FIRST);
    }

    private static ObjectNode second() {
        return bundledCredential("urn:uuid:00000000-0000-5000-8000-000000000002", SECOND);
    }

    /** A {@code ClrCredential} of the test issuer bundling {@code credentials}, as credpipe's issuer writes one. */
    private static ObjectNode learnerRecord(ObjectNode... credentials) {
        ObjectNode record = TestIssuer.JSON.createObjectNode();
        record.putArray("@context").add(CredentialPayload.VC_V2_CONTEXT)
                .add("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json")
                .add("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
        record.put("id", "urn:uuid:00000000-0000-5000-8000-0000000000c1");
        record.putArray("type").add("VerifiableCredential").add("ClrCredential");
        record.put("name", "Comprehensive Learner Record");
        record.putObject("issuer").put("id", ISSUER_ID).put("name", "Example Plant Training Center")
                .putArray("type").add("Profile");
        record.put("validFrom", "2026-05-31T00:00:00Z");
        ObjectNode subject = record.putObject("credentialSubject");
        subject.put("id", SUBJECT_ID);
        subject.putArray("type").add("ClrSubject");
        for (ObjectNode credential : credentials) {
            subject.withArray("verifiableCredential").add(credential);
        }
        return record;
    }

    private VerificationReport verify(ObjectNode record) {
        return verifier(true).verify(ISSUER.es256(TestIssuer.payload(record)));
    }

    private static Check check(VerificationReport report, String name) {
        return report.check(name).orElseThrow();
    }

    @Test
    void aRecordOfCurrentCredentialsIsVerifiedAndSummarisesEachOfThem() {
        serveList(Map.of());

        VerificationReport report = verify(learnerRecord(first(), second()));

        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(check(report, Check.CREDENTIAL).detail()).contains("ClrCredential").contains("bundling 2 credentials");
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(report.summary()).isEmpty();
        assertThat(report.bundled()).extracting(CredentialSummary::credentialId)
                .containsExactly(first().get("id").asText(), second().get("id").asText());
        assertThat(report.bundled()).allSatisfy(summary ->
                assertThat(summary.status().orElseThrow().state()).isEqualTo(StatusStanding.State.VALID));
        assertThat(report.describe()).startsWith("VERIFIED: a learner record (CLR 2.0)")
                .contains("all 2 credentials it bundles are currently valid")
                .contains("Credential 1 of 2:").contains("Credential 2 of 2:");
    }

    @Test
    void aRecordHoldingARevokedOrSuspendedCredentialIsNotVerified() {
        serveList(Map.of(FIRST, 2, SECOND, 1));

        VerificationReport report = verify(learnerRecord(first(), second()));

        assertThat(report.verified()).isFalse();
        assertThat(check(report, Check.SIGNATURE).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).detail())
                .contains("2 of 2 bundled credentials are not current")
                .contains(first().get("id").asText() + ") is SUSPENDED")
                .contains(second().get("id").asText() + ") is REVOKED");
        assertThat(report.bundled()).hasSize(2);
        assertThat(report.bundled().get(1).status().orElseThrow().state()).isEqualTo(StatusStanding.State.REVOKED);
    }

    @Test
    void aBundledCredentialWhoseStatusCannotBeEstablishedFailsTheRecord() {
        VerificationReport report = verify(learnerRecord(first()));

        assertThat(report.verified()).isFalse();
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).detail()).contains("is unknown");
    }

    @Test
    void aStatusListTheBundledCredentialsShareIsFetchedOnceAnswerOrNot() {
        VerificationReport unreachable = verify(learnerRecord(first(), second()));

        assertThat(check(unreachable, Check.BUNDLED_CREDENTIALS).detail()).contains("2 of 2");
        assertThat(fetched).containsExactly(URI.create(LIST_URL));

        fetched.clear();
        serveList(Map.of());
        assertThat(verify(learnerRecord(first(), second())).verified()).isTrue();
        assertThat(fetched).containsExactly(URI.create(LIST_URL));
    }

    @Test
    void anExpiredBundledCredentialFailsTheRecord() {
        serveList(Map.of());
        ObjectNode expired = second();
        expired.put("validUntil", "2026-05-25T00:00:00Z");

        VerificationReport report = verify(learnerRecord(first(), expired));

        assertThat(report.verified()).isFalse();
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).detail())
                .contains("1 of 2").contains("expired at 2026-05-25T00:00:00Z");
    }

    @Test
    void withStatusCheckingOffTheRecordSaysSo() {
        VerificationReport report = verifier(false).verify(ISSUER.es256(TestIssuer.payload(learnerRecord(first()))));

        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).detail()).contains("their status was not checked");
        assertThat(report.bundled().get(0).status().orElseThrow().state()).isEqualTo(StatusStanding.State.NOT_CHECKED);
    }

    @Test
    void onlyCredentialsOfTheRecordsIssuerAboutItsSubjectAreVouchedFor() {
        serveList(Map.of());
        ObjectNode otherIssuer = first();
        ((ObjectNode) otherIssuer.get("issuer")).put("id", "https://elsewhere.example/issuer");
        ObjectNode otherSubject = second();
        ((ObjectNode) otherSubject.get("credentialSubject")).put("id", "did:example:someone-else");

        VerificationReport report = verify(learnerRecord(otherIssuer, otherSubject));

        assertThat(report.verified()).isFalse();
        assertThat(check(report, Check.CREDENTIAL).detail())
                .contains("verifiableCredential[0] is issued by https://elsewhere.example/issuer, not by the learner record's issuer")
                .contains("verifiableCredential[1] is about subject did:example:someone-else");
        assertThat(check(report, Check.BUNDLED_CREDENTIALS).outcome()).isEqualTo(Check.Outcome.SKIPPED);
        assertThat(report.bundled()).isEmpty();
    }

    @Test
    void aRecordMustBeShapedAsTheClrSchemaSays() {
        ObjectNode record = learnerRecord(first());
        record.withArray("@context").remove(1);
        ObjectNode noCredentials = learnerRecord();

        assertThat(check(verify(record), Check.CREDENTIAL).detail()).contains("the CLR 2.0 context");
        assertThat(check(verify(noCredentials), Check.CREDENTIAL).detail())
                .contains("verifiableCredential must hold at least one credential");
    }

    @Test
    void aBundledCredentialMustBeAnOpenBadgesCredential() {
        ObjectNode notABadge = first();
        ((ObjectNode) notABadge.get("credentialSubject")).remove("achievement");

        VerificationReport report = verify(learnerRecord(notABadge));

        assertThat(check(report, Check.CREDENTIAL).detail())
                .contains("verifiableCredential[0]: credentialSubject.achievement is missing");
    }

    @Test
    void changingAnyCredentialInsideTheRecordBreaksItsSignature() {
        serveList(Map.of());
        String jwt = ISSUER.es256(TestIssuer.payload(learnerRecord(first(), second())));
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"statusListIndex\":\"" + SECOND + "\"", "\"statusListIndex\":\"" + (SECOND + 1) + "\"");
        String altered = parts[0] + "." + TestIssuer.b64(payload) + "." + parts[2];
        assertThat(altered).isNotEqualTo(jwt);

        VerificationReport report = verifier(true).verify(altered);

        assertThat(report.verified()).isFalse();
        assertThat(check(report, Check.SIGNATURE).outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(report.bundled()).isEmpty();
    }
}
