package io.credpipe.verifier;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.credpipe.verifier.jws.TrustedKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialVerifierTest {

    private static final TestIssuer ISSUER = new TestIssuer();

    private final CredentialVerifier verifier = verifierAt(NOW);

    private static CredentialVerifier verifierAt(Instant now) {
        return CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    @Test
    void validEs256CredentialIsVerifiedWithItsSummary() {
        VerificationReport report = verifier.verify(ISSUER.es256());

        assertThat(report.failures()).isEmpty();
        assertThat(report.verified()).isTrue();
        assertThat(report.checks()).extracting(Check::name).containsExactlyElementsOf(CredentialVerifier.JWS_CHECKS);
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Check.Outcome.PASSED));

        CredentialSummary summary = report.summary().orElseThrow();
        assertThat(summary.subject().names()).containsExactly("Dana Ruiz");
        assertThat(summary.subject().emailHashPresent()).isTrue();
        assertThat(summary.subject().id()).isEqualTo("did:example:ebfeb1f712ebc6f1c276e12ec21");
        assertThat(summary.achievement()).isEqualTo(new CredentialSummary.Achievement(
                "https://credentials.example.com/frameworks/51-8091.00@v.26.05/proficient",
                "Chemical Plant and System Operators — Proficient", "Competency"));
        assertThat(summary.level()).isEqualTo("Proficient");
        assertThat(summary.framework()).isEqualTo("Chemical Plant and System Operators v.26.05");
        assertThat(summary.statements()).hasSize(5);
        assertThat(summary.statements().get(2)).isEqualTo(new CredentialSummary.Alignment(
                "51-8091.00@v.26.05/proficient/3", "Quality control analysis",
                "https://credentials.example.com/frameworks/51-8091.00@v.26.05/proficient/3",
                "Chemical Plant and System Operators v.26.05", "ext:CompetencyStatement"));
        assertThat(summary.issuerId()).isEqualTo("https://credentials.example.com/issuer");
        assertThat(summary.issuerName()).isEqualTo("Example Plant Training Center");
        assertThat(summary.credentialId())
                .isEqualTo("https://credentials.example.com/credentials/541da86d-c706-57da-bc33-b7bd0e0a895c");
        assertThat(summary.validFrom()).isEqualTo(Instant.parse("2026-05-20T09:30:00Z"));
        assertThat(summary.validUntil()).isEqualTo(Instant.parse("2029-05-20T09:30:00Z"));
        assertThat(summary.keyId()).isEqualTo(TestIssuer.EC_KID);
        assertThat(summary.algorithm()).isEqualTo("ES256");
    }

    @Test
    void rs256AndPs256CredentialsVerify() {
        assertThat(verifier.verify(ISSUER.rs256(TestIssuer.payload(TestIssuer.credential()))).verified()).isTrue();
        String ps256 = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.PS256, TestIssuer.RSA_KID),
                TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.rsaSigner());
        VerificationReport report = verifier.verify(ps256);
        assertThat(report.verified()).isTrue();
        assertThat(report.summary().orElseThrow().algorithm()).isEqualTo("PS256");
    }

    /**
     * Every byte of the header and signature, and of the (5 KB) payload a spread of bytes and its
     * last ones, since each try costs an ECDSA verification.
     */
    private static boolean probed(int segment, int index, int length) {
        return segment != 1 || index % 17 == 0 || index >= length - 3;
    }

    @Test
    void aFlippedBitAnywhereInHeaderPayloadOrSignatureFails() {
        String token = ISSUER.es256();
        String[] segments = token.split("\\.");
        for (int segment = 0; segment < 3; segment++) {
            byte[] bytes = Base64.getUrlDecoder().decode(segments[segment]);
            for (int i = 0; i < bytes.length; i++) {
                if (!probed(segment, i, bytes.length)) {
                    continue;
                }
                byte[] flipped = bytes.clone();
                flipped[i] ^= 0x01;
                String[] altered = segments.clone();
                altered[segment] = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
                VerificationReport report = verifier.verify(String.join(".", altered));
                assertThat(report.verified()).as("segment %d byte %d flipped", segment, i).isFalse();
                assertThat(report.summary()).as("segment %d byte %d flipped", segment, i).isEmpty();
            }
        }
    }

    @Test
    void aChangedCharacterFailsEvenWhereBase64PaddingBitsWouldHideIt() {
        String token = ISSUER.es256();
        int headerEnd = token.indexOf('.');
        int payloadEnd = token.indexOf('.', headerEnd + 1);
        for (int i = 0; i < token.length(); i++) {
            int segment = i < headerEnd ? 0 : i < payloadEnd ? 1 : 2;
            int start = segment == 0 ? 0 : segment == 1 ? headerEnd + 1 : payloadEnd + 1;
            int end = segment == 0 ? headerEnd : segment == 1 ? payloadEnd : token.length();
            if (token.charAt(i) == '.' || !probed(segment, i - start, end - start)) {
                continue;
            }
            // Changing the last character of a segment by one often only touches its unused low bits.
            char replacement = token.charAt(i) == 'A' ? 'B' : (char) (token.charAt(i) == 'z' ? 'y' : token.charAt(i) + 1);
            if (!Character.isLetterOrDigit(replacement)) {
                replacement = 'Q';
            }
            String altered = token.substring(0, i) + replacement + token.substring(i + 1);
            assertThat(verifier.verify(altered).verified()).as("character %d changed", i).isFalse();
        }
    }

    @Test
    void aSignatureReencodedWithNonZeroPaddingBitsFails() {
        String token = ISSUER.es256();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // 64 signature bytes take 86 characters; the last one carries 4 unused low bits.
        char last = token.charAt(token.length() - 1);
        String tweaked = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 0x01);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String tweakedSignature = tweaked.substring(tweaked.lastIndexOf('.') + 1);
        assertThat(Base64.getUrlDecoder().decode(tweakedSignature))
                .as("the tweak leaves the signature bytes unchanged")
                .isEqualTo(Base64.getUrlDecoder().decode(signature));

        VerificationReport report = verifier.verify(tweaked);

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("signature segment is not canonical base64url"));
    }

    @Test
    void signatureByAnotherKeyWithTheSameKidFails() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(TestIssuer.EC_KID).generate();
        String forged = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, TestIssuer.EC_KID),
                TestIssuer.payload(TestIssuer.credential()).toString(), new com.nimbusds.jose.crypto.ECDSASigner(impostor));

        VerificationReport report = verifier.verify(forged);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.SIGNATURE).orElseThrow())
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Check.Outcome.FAILED))
                .satisfies(c -> assertThat(c.detail()).contains("does not match").contains(TestIssuer.EC_KID));
        assertThat(report.check(Check.CREDENTIAL).orElseThrow().outcome()).isEqualTo(Check.Outcome.SKIPPED);
        assertThat(report.summary()).isEmpty();
    }

    @Test
    void unknownKidFailsNamingIt() {
        String token = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, "https://elsewhere.example/keys#1"),
                TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.ecSigner());

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        Check kid = report.check(Check.KID).orElseThrow();
        assertThat(kid.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(kid.detail()).contains("no trusted key has kid \"https://elsewhere.example/keys#1\"")
                .contains(TestIssuer.EC_KID);
        assertThat(report.check(Check.SIGNATURE).orElseThrow().detail()).isEqualTo("not checked: kid failed");
    }

    @Test
    void missingKidFails() {
        JWSHeader noKid = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).jwk(ISSUER.ecKey.toPublicJWK()).build();
        String token = TestIssuer.sign(noKid, TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.ecSigner());

        Check kid = verifier.verify(token).check(Check.KID).orElseThrow();

        assertThat(kid.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(kid.detail()).contains("no kid").contains("jwk vouches only for itself");
    }

    @Test
    void keyOfTheWrongTypeForTheAlgorithmFails() {
        String token = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, TestIssuer.RSA_KID),
                TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.ecSigner());

        Check kid = verifier.verify(token).check(Check.KID).orElseThrow();

        assertThat(kid.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(kid.detail()).contains("needs an EC key");
    }

    @Test
    void unsecuredAlgNoneIsRejected() {
        String token = TestIssuer.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + TestIssuer.b64(TestIssuer.payload(TestIssuer.credential()).toString()) + ".";

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.ALGORITHM).orElseThrow())
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Check.Outcome.FAILED))
                .satisfies(c -> assertThat(c.detail()).contains("\"none\"").contains("no signature"));
        assertThat(report.summary()).isEmpty();
    }

    @Test
    void hs256SignedWithThePublicKeyIsRejectedAsAlgorithmConfusion() throws Exception {
        // The classic attack: a verifier that lets the token choose the algorithm would check this
        // HMAC with the issuer's public key bytes as the secret, and accept it.
        byte[] publicKeyBytes = ISSUER.rsaKey.toRSAPublicKey().getEncoded();
        String token = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.HS256, TestIssuer.RSA_KID),
                TestIssuer.payload(TestIssuer.credential()).toString(), new MACSigner(publicKeyBytes));

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.ALGORITHM).orElseThrow())
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Check.Outcome.FAILED))
                .satisfies(c -> assertThat(c.detail()).contains("HS256").contains("algorithm-confusion"));
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.SKIPPED);
    }

    @Test
    void eddsaIsRejectedWithTheReason() {
        String token = TestIssuer.b64("{\"alg\":\"EdDSA\",\"kid\":\"" + TestIssuer.EC_KID + "\"}") + "."
                + TestIssuer.b64(TestIssuer.payload(TestIssuer.credential()).toString()) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);

        Check algorithm = verifier.verify(token).check(Check.ALGORITHM).orElseThrow();

        assertThat(algorithm.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(algorithm.detail()).contains("EdDSA").contains("1EdTech");
    }

    @Test
    void expiredCredentialFailsButStillSaysWhoseItIs() {
        Instant validUntil = Instant.parse("2029-05-20T09:30:00Z");

        VerificationReport expired = verifierAt(validUntil.plus(Duration.ofMinutes(6))).verify(ISSUER.es256());
        assertThat(expired.verified()).isFalse();
        assertThat(expired.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.VALID_UNTIL))
                .satisfies(c -> assertThat(c.detail()).startsWith("expired at 2029-05-20T09:30:00Z"));
        assertThat(expired.summary()).isPresent();

        assertThat(verifierAt(validUntil.plus(Duration.ofMinutes(4))).verify(ISSUER.es256()).verified())
                .as("within the clock skew").isTrue();
    }

    @Test
    void credentialNotYetValidFails() {
        Instant validFrom = Instant.parse("2026-05-20T09:30:00Z");

        VerificationReport early = verifierAt(validFrom.minus(Duration.ofMinutes(6))).verify(ISSUER.es256());

        assertThat(early.verified()).isFalse();
        assertThat(early.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.VALID_FROM))
                .satisfies(c -> assertThat(c.detail()).startsWith("not yet valid: valid from 2026-05-20T09:30:00Z"));
        assertThat(verifierAt(validFrom.minus(Duration.ofMinutes(4))).verify(ISSUER.es256()).verified()).isTrue();
    }

    @Test
    void issMismatchFails() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.put("iss", "https://impostor.example/issuer");

        VerificationReport report = verifier.verify(ISSUER.es256(payload));

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.ISS))
                .satisfies(c -> assertThat(c.detail()).contains("https://impostor.example/issuer")
                        .contains("https://credentials.example.com/issuer"));
    }

    @Test
    void issuerGivenAsAPlainUriIsCompared() {
        ObjectNode credential = TestIssuer.credential();
        ObjectNode payload = TestIssuer.payload(credential);
        payload.put("issuer", "https://credentials.example.com/issuer");

        VerificationReport report = verifier.verify(ISSUER.es256(payload));

        assertThat(report.verified()).isTrue();
        assertThat(report.summary().orElseThrow().issuerName()).isNull();
    }

    @Test
    void missingOpenBadgeCredentialTypeFails() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.putArray("type").add("VerifiableCredential");

        VerificationReport report = verifier.verify(ISSUER.es256(payload));

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.CREDENTIAL))
                .satisfies(c -> assertThat(c.detail()).contains("OpenBadgeCredential or AchievementCredential"));
        assertThat(report.summary()).as("not an OB credential, so nothing to summarise").isEmpty();
    }

    @Test
    void achievementCredentialTypeIsAccepted() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.putArray("type").add("VerifiableCredential").add("AchievementCredential");

        assertThat(verifier.verify(ISSUER.es256(payload)).verified()).isTrue();
    }

    @Test
    void wrongContextsFail() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.putArray("@context").add("https://www.w3.org/2018/credentials/v1");

        Check credential = verifier.verify(ISSUER.es256(payload)).check(Check.CREDENTIAL).orElseThrow();

        assertThat(credential.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(credential.detail()).contains("first @context must be https://www.w3.org/ns/credentials/v2")
                .contains("Open Badges 3.0 context");
    }

    @Test
    void missingAchievementFails() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        ((ObjectNode) payload.get("credentialSubject")).remove("achievement");

        Check credential = verifier.verify(ISSUER.es256(payload)).check(Check.CREDENTIAL).orElseThrow();

        assertThat(credential.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(credential.detail()).contains("credentialSubject.achievement is missing");
    }

    @Test
    void jtiSubAndNbfMustMatchTheCredential() {
        ObjectNode jti = TestIssuer.payload(TestIssuer.credential());
        jti.put("jti", "urn:uuid:00000000-0000-0000-0000-000000000000");
        assertThat(verifier.verify(ISSUER.es256(jti)).failures()).extracting(Check::name).containsExactly(Check.JTI);

        ObjectNode sub = TestIssuer.payload(TestIssuer.credential());
        sub.put("sub", "did:example:someone-else");
        assertThat(verifier.verify(ISSUER.es256(sub)).failures()).extracting(Check::name).containsExactly(Check.SUB);

        ObjectNode nbf = TestIssuer.payload(TestIssuer.credential());
        nbf.put("nbf", nbf.get("nbf").asLong() - 3600);
        assertThat(verifier.verify(ISSUER.es256(nbf)).failures()).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("does not match validFrom"));

        ObjectNode noJti = TestIssuer.payload(TestIssuer.credential());
        noJti.remove("jti");
        assertThat(verifier.verify(ISSUER.es256(noJti)).failures()).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("jti claim is missing"));
    }

    @Test
    void subjectWithoutIdNeedsNoSub() {
        ObjectNode credential = TestIssuer.credential();
        ((ObjectNode) credential.get("credentialSubject")).remove("id");

        VerificationReport report = verifier.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isTrue();
        assertThat(report.summary().orElseThrow().subject().id()).isNull();
    }

    @Test
    void validUntilWithoutExpFails() {
        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.remove("exp");

        assertThat(verifier.verify(ISSUER.es256(payload)).failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.VALID_UNTIL))
                .satisfies(c -> assertThat(c.detail()).contains("exp claim is missing"));
    }

    /** Found by VerifierFuzzTest: a validUntil that is not a string was read as none, so the credential verified. */
    @Test
    void aValidUntilOrValidFromThatIsNotADateTimeStringFails() {
        for (String name : new String[] {"validUntil", "validFrom"}) {
            ObjectNode numeric = TestIssuer.payload(TestIssuer.credential());
            numeric.put(name, 1_900_000_000L);
            ObjectNode languageMap = TestIssuer.payload(TestIssuer.credential());
            languageMap.putObject(name).put("en", "2099-01-01T00:00:00Z");

            for (ObjectNode payload : new ObjectNode[] {numeric, languageMap}) {
                VerificationReport report = verifier.verify(ISSUER.es256(payload));

                assertThat(report.verified()).as(name + " " + payload.get(name)).isFalse();
                assertThat(report.check(Check.CREDENTIAL).orElseThrow().detail()).contains(name + " must be a date-time string");
            }
        }
    }

    @Test
    void credentialWithoutValidUntilNeverExpires() {
        ObjectNode credential = TestIssuer.credential();
        credential.remove("validUntil");

        VerificationReport report = verifierAt(Instant.parse("2099-01-01T00:00:00Z")).verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isTrue();
        assertThat(report.check(Check.VALID_UNTIL).orElseThrow().detail()).isEqualTo("does not expire");
        assertThat(report.summary().orElseThrow().validUntil()).isNull();
        assertThat(report.describe()).contains("Expires:     never");
    }

    @Test
    void duplicateClaimsAreRefusedNotResolved() {
        String payload = TestIssuer.payload(TestIssuer.credential()).toString();
        String duplicated = "{\"iss\":\"https://impostor.example/issuer\"," + payload.substring(1);
        String token = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, TestIssuer.EC_KID), duplicated, ISSUER.ecSigner());

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.CREDENTIAL).orElseThrow().detail()).contains("Duplicate field 'iss'");
    }

    @Test
    void typOtherThanJwtFailsButTheSignatureIsStillReported() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(TestIssuer.EC_KID)
                .type(new JOSEObjectType("at+jwt")).build();
        String token = TestIssuer.sign(header, TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.ecSigner());

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).extracting(Check::name).containsExactly(Check.HEADER);
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.PASSED);
    }

    @Test
    void vcPlusJwtTypIsAccepted() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(TestIssuer.EC_KID)
                .type(new JOSEObjectType("vc+jwt")).build();
        String token = TestIssuer.sign(header, TestIssuer.payload(TestIssuer.credential()).toString(), ISSUER.ecSigner());

        assertThat(verifier.verify(token).verified()).isTrue();
    }

    @Test
    void notACompactJwsFails() {
        VerificationReport jwe = verifier.verify("a.b.c.d.e");
        assertThat(jwe.check(Check.COMPACT_JWS).orElseThrow().detail()).contains("JWE");
        assertThat(jwe.checks()).hasSize(CredentialVerifier.JWS_CHECKS.size());

        VerificationReport garbage = verifier.verify("hello");
        assertThat(garbage.verified()).isFalse();
        assertThat(garbage.check(Check.COMPACT_JWS).orElseThrow().detail()).contains("found 1");

        VerificationReport notJson = verifier.verify(TestIssuer.b64("not json") + ".e30.AAAA");
        assertThat(notJson.check(Check.COMPACT_JWS).orElseThrow().detail()).startsWith("the header is not JSON");
    }

    @Test
    void aNamedCredentialSchemaIsCheckedAgainstTheBundledCopy() {
        ObjectNode credential = TestIssuer.credential();
        credential.putArray("credentialSchema").addObject()
                .put("id", "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json")
                .put("type", "1EdTechJsonSchemaValidator2019");

        VerificationReport report = verifier.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isTrue();
        assertThat(report.check(Check.CREDENTIAL_SCHEMA).orElseThrow())
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Check.Outcome.PASSED))
                .satisfies(c -> assertThat(c.detail()).contains("ob_v3p0_achievementcredential_schema.json"));

        credential.putArray("credentialSchema").addObject().put("id", "https://schemas.example.org/badge.json")
                .put("type", "1EdTechJsonSchemaValidator2019");
        VerificationReport unknown = verifier.verify(ISSUER.es256(TestIssuer.payload(credential)));
        assertThat(unknown.verified()).isFalse();
        assertThat(unknown.failures()).isEmpty();
        assertThat(unknown.undecided()).extracting(Check::name).containsExactly(Check.CREDENTIAL_SCHEMA);
        assertThat(unknown.describe()).startsWith("NOT VERIFIED: cannot tell").contains("Cannot tell:")
                .contains("https://schemas.example.org/badge.json");
    }

    @Test
    void credentialStatusThatCannotBeReadLeavesTheCredentialUnverified() {
        ObjectNode credential = TestIssuer.credential();
        credential.putObject("credentialStatus").put("type", "BitstringStatusListEntry")
                .put("statusPurpose", "revocation").put("statusListIndex", "94567")
                .put("statusListCredential", "https://credentials.example.com/status/3");
        CredentialVerifier offline = CredentialVerifier.builder()
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .statusLists(url -> {
                    throw new IOException("unknown host " + url.getHost());
                })
                .build();

        VerificationReport report = offline.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isFalse();
        Check status = report.check(Check.STATUS).orElseThrow();
        assertThat(status.outcome()).isEqualTo(Check.Outcome.CANNOT_TELL);
        assertThat(status.detail()).startsWith("status unknown: cannot retrieve the status list "
                + "https://credentials.example.com/status/3: unknown host credentials.example.com");
        assertThat(report.describe()).contains("Cannot tell:").contains("status: status unknown");
    }

    @Test
    void credentialStatusIsReportedAsNotCheckedWhenTurnedOff() {
        ObjectNode credential = TestIssuer.credential();
        credential.putObject("credentialStatus").put("type", "BitstringStatusListEntry")
                .put("statusPurpose", "revocation").put("statusListIndex", "94567")
                .put("statusListCredential", "https://credentials.example.com/status/3");
        CredentialVerifier offline = CredentialVerifier.builder()
                .trustedKeys(ISSUER.publicKeys())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .checkStatus(false)
                .build();

        VerificationReport report = offline.verify(ISSUER.es256(TestIssuer.payload(credential)));

        assertThat(report.verified()).isTrue();
        Check status = report.check(Check.STATUS).orElseThrow();
        assertThat(status.outcome()).isEqualTo(Check.Outcome.SKIPPED);
        assertThat(status.detail()).contains("status checking is turned off");
        assertThat(report.describe()).contains("Not checked:").contains("status:");
    }

    @Test
    void trustedKeysFromAJwksFile(@TempDir Path dir) throws IOException {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, ISSUER.publicKeys().toString());
        CredentialVerifier fromFile = CredentialVerifier.builder().trustedKeys(jwks)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        VerificationReport report = fromFile.verify(ISSUER.es256());

        assertThat(report.verified()).isTrue();
        assertThat(report.check(Check.TRUSTED_KEYS).orElseThrow().detail()).isEqualTo("2 public keys from JWKS file " + jwks);

        Files.delete(jwks);
        Check missing = fromFile.verify(ISSUER.es256()).check(Check.TRUSTED_KEYS).orElseThrow();
        assertThat(missing.outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(missing.detail()).isEqualTo("cannot read JWKS file " + jwks + ": no such file");
    }

    @Test
    void privateKeysInAJwksAreReducedToPublicOnes() {
        CredentialVerifier lenient = CredentialVerifier.builder()
                .trustedKeys(TrustedKeys.of(new JWKSet(List.<JWK>of(ISSUER.ecKey))))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        assertThat(lenient.verify(ISSUER.es256()).verified()).isTrue();
    }

    @Test
    void trustedKeysFromAJwksUrl() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = ISSUER.publicKeys().toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            CredentialVerifier fromUrl = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                    .trustedKeys(URI.create(base + "/.well-known/jwks.json"))
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            assertThat(fromUrl.verify(ISSUER.es256()).verified()).isTrue();

            CredentialVerifier wrongPath = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                    .trustedKeys(URI.create(base + "/keys.json"))
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            assertThat(wrongPath.verify(ISSUER.es256()).check(Check.TRUSTED_KEYS).orElseThrow().detail())
                    .isEqualTo("cannot fetch the issuer's keys: HTTP 404 from " + base + "/keys.json");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void credentialFetchedFromAUrl() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwt = ISSUER.es256().getBytes(StandardCharsets.UTF_8);
        server.createContext("/credentials/1", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/vc+jwt");
            exchange.sendResponseHeaders(200, jwt.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwt);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();

            VerificationReport fetched = verifier.verifyUrl(URI.create(base + "/credentials/1"));
            assertThat(fetched.verified()).isTrue();
            assertThat(fetched.check(Check.INPUT).orElseThrow().detail())
                    .isEqualTo("fetched " + jwt.length + " bytes from " + base + "/credentials/1");

            VerificationReport missing = verifier.verifyUrl(URI.create(base + "/credentials/2"));
            assertThat(missing.verified()).isFalse();
            assertThat(missing.failures()).singleElement()
                    .satisfies(c -> assertThat(c.detail()).isEqualTo("cannot fetch the credential: HTTP 404 from " + base + "/credentials/2"));
        } finally {
            server.stop(0);
        }
        assertThat(verifier.verifyUrl(URI.create("ftp://example.com/c.jwt")).failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.INPUT));
    }

    @Test
    void unreachableJwksUrlIsAClearFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CredentialVerifier unreachable = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                .trustedKeys(URI.create("http://127.0.0.1:" + closedPort + "/.well-known/jwks.json"))
                .httpTimeout(Duration.ofSeconds(2))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        VerificationReport report = unreachable.verify(ISSUER.es256());

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.TRUSTED_KEYS))
                .satisfies(c -> assertThat(c.detail()).startsWith(
                        "cannot fetch the issuer's keys: cannot connect to 127.0.0.1:" + closedPort));
        assertThat(report.check(Check.SIGNATURE).orElseThrow().detail()).isEqualTo("not checked: trusted-keys failed");
        assertThat(report.describe()).contains("trusted-keys: cannot fetch the issuer's keys");
    }

    @Test
    void jwtFileVerifies(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("credential.jwt");
        Files.writeString(file, ISSUER.es256() + "\n");

        VerificationReport report = verifier.verifyFile(file);

        assertThat(report.verified()).isTrue();
        assertThat(report.checks().get(0).name()).isEqualTo(Check.INPUT);
    }

    @Test
    void plainJsonCredentialFileIsNotSecured(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("credential.json");
        Files.writeString(file, TestIssuer.credential().toPrettyString());

        VerificationReport report = verifier.verifyFile(file);

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo(Check.COMPACT_JWS))
                .satisfies(c -> assertThat(c.detail()).startsWith("not secured: no proof"));
        assertThat(report.summary()).isEmpty();
    }

    @Test
    void missingFileIsAFailedInput(@TempDir Path dir) {
        VerificationReport report = verifier.verifyFile(dir.resolve("nope.jwt"));

        assertThat(report.verified()).isFalse();
        assertThat(report.failures()).singleElement()
                .satisfies(c -> assertThat(c.detail()).endsWith("nope.jwt: no such file"));
    }

    @Test
    void emailIsMatchedAgainstTheSaltedIdentityHash() {
        CredentialSummary summary = verifier.verify(ISSUER.es256()).summary().orElseThrow();

        assertThat(summary.matchesEmail("dana@example.com")).isTrue();
        assertThat(summary.matchesEmail(" Dana@Example.COM ")).isTrue();
        assertThat(summary.matchesEmail("dan@example.com")).isFalse();
        assertThat(summary.matchesEmail("")).isFalse();
    }

    @Test
    void describeTellsWhoWhatAndWhyNot() {
        String verified = verifier.verify(ISSUER.es256()).describe();
        assertThat(verified).startsWith("VERIFIED")
                .contains("Who:         Dana Ruiz [did:example:ebfeb1f712ebc6f1c276e12ec21], e-mail hash on record")
                .contains("Level:       Proficient")
                .contains("Aligned to:  5 targets\n  - 51-8091.00@v.26.05/proficient/1  Multi-unit chemical systems")
                .contains("Issued:      2026-05-20T09:30:00Z")
                .contains("Expires:     2029-05-20T09:30:00Z")
                .doesNotContain("Failed:")
                .doesNotContain("dana@example.com");

        ObjectNode payload = TestIssuer.payload(TestIssuer.credential());
        payload.put("iss", "https://impostor.example/issuer");
        String failed = verifier.verify(ISSUER.es256(payload)).describe();
        assertThat(failed).startsWith("NOT VERIFIED: 1 check failed").contains("Failed:\n  - iss: the iss claim");
    }

    @Test
    void builderRefusesIncompleteOrNonsensicalConfiguration() {
        assertThatThrownBy(() -> CredentialVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CredentialVerifier.builder().trustedKeys(URI.create("file:///etc/jwks.json")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CredentialVerifier.builder().clockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
