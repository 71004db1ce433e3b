package io.credpipe.verifier.jws;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.credpipe.verifier.status.StatusStanding;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.status.CredentialStatusTest;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The algorithms and {@code typ} values a credpipe issuer may sign with (ES256 or RS256;
 * {@code JWT}, {@code vc+jwt} or none), checked against one JWK set holding both key types, as an
 * issuer's does after rotating from one algorithm to the other.
 */
class AlgorithmsAndTypesTest {

    private static final TestIssuer ISSUER = new TestIssuer();
    private static final String LIST_URL = "https://credentials.example.com/v1/status/0-0";

    private final CredentialVerifier verifier = CredentialVerifier.builder()
            .trustedKeys(ISSUER.publicKeys())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .checkStatus(false)
            .build();

    static Stream<Arguments> algorithmsAndTypes() {
        List<Arguments> combinations = new ArrayList<>();
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256)) {
            for (String typ : new String[] {"JWT", "vc+jwt", null, "application/vc+jwt"}) {
                combinations.add(Arguments.of(alg, typ));
            }
        }
        return combinations.stream();
    }

    private static String sign(JWSAlgorithm alg, String typ, ObjectNode payload) {
        JWSHeader.Builder header = new JWSHeader.Builder(alg)
                .keyID(alg == JWSAlgorithm.ES256 ? TestIssuer.EC_KID : TestIssuer.RSA_KID);
        if (typ != null) {
            header.type(new JOSEObjectType(typ));
        }
        JWSSigner signer = alg == JWSAlgorithm.ES256 ? ISSUER.ecSigner() : ISSUER.rsaSigner();
        return TestIssuer.sign(header.build(), payload.toString(), signer);
    }

    @ParameterizedTest(name = "{0} typ {1}")
    @MethodSource("algorithmsAndTypes")
    void eachAlgorithmAndTypVerifiesAgainstAMixedKeySet(JWSAlgorithm alg, String typ) {
        assertThat(ISSUER.publicJwks().getKeys()).extracting(key -> key.getKeyType().getValue())
                .containsExactlyInAnyOrder("EC", "RSA");

        VerificationReport report = verifier.verify(sign(alg, typ, TestIssuer.payload(TestIssuer.credential())));

        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(report.check(Check.HEADER).orElseThrow().detail()).isEqualTo(typ == null ? "no typ" : "typ " + typ);
        assertThat(report.summary().orElseThrow().algorithm()).isEqualTo(alg.getName());
        assertThat(report.summary().orElseThrow().keyId())
                .isEqualTo(alg == JWSAlgorithm.ES256 ? TestIssuer.EC_KID : TestIssuer.RSA_KID);
    }

    @ParameterizedTest(name = "{0} typ {1}")
    @MethodSource("algorithmsAndTypes")
    void tamperingWithAnySegmentFailsForEachAlgorithmAndTyp(JWSAlgorithm alg, String typ) {
        String token = sign(alg, typ, TestIssuer.payload(TestIssuer.credential()));
        String[] segments = token.split("\\.");
        for (int segment = 0; segment < 3; segment++) {
            byte[] bytes = Base64.getUrlDecoder().decode(segments[segment]);
            // A spread of bytes, first and last included: each try costs a signature verification.
            for (int i = 0; i < bytes.length; i += segment == 1 ? 97 : 7) {
                for (int index : new int[] {i, bytes.length - 1}) {
                    byte[] flipped = bytes.clone();
                    flipped[index] ^= 0x01;
                    String[] altered = segments.clone();
                    altered[segment] = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
                    VerificationReport report = verifier.verify(String.join(".", altered));
                    assertThat(report.verified()).as("%s segment %d byte %d flipped", alg, segment, index).isFalse();
                }
            }
        }
    }

    @ParameterizedTest(name = "typ {0}")
    @ValueSource(strings = {"at+jwt", "vp+jwt", "JOSE", "jwt+vc", "application/json", ""})
    void anyOtherTypFailsTheHeaderCheckAndTheCredential(String typ) {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256)) {
            VerificationReport report = verifier.verify(sign(alg, typ, TestIssuer.payload(TestIssuer.credential())));

            assertThat(report.verified()).isFalse();
            assertThat(report.failures()).extracting(Check::name).containsExactly(Check.HEADER);
            assertThat(report.check(Check.HEADER).orElseThrow().detail())
                    .contains("typ must be JWT (OB 3.0) or vc+jwt (VC-JOSE-COSE) when present").contains(typ);
            assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.PASSED);
        }
    }

    @Test
    void aTypThatIsNotAStringFails() {
        String token = TestIssuer.b64("{\"alg\":\"ES256\",\"kid\":\"" + TestIssuer.EC_KID + "\",\"typ\":42}") + "."
                + TestIssuer.b64(TestIssuer.payload(TestIssuer.credential()).toString()) + ".AAAA";

        VerificationReport report = verifier.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.HEADER).orElseThrow())
                .satisfies(check -> assertThat(check.outcome()).isEqualTo(Check.Outcome.FAILED))
                .satisfies(check -> assertThat(check.detail()).contains("was 42"));
    }

    @ParameterizedTest(name = "alg {0}")
    @ValueSource(strings = {"none", "HS256", "HS384", "HS512"})
    void noneAndHmacAreRefusedWhateverTheTyp(String alg) throws Exception {
        String payload = TestIssuer.b64(TestIssuer.payload(TestIssuer.credential()).toString());
        for (String typ : List.of("JWT", "vc+jwt")) {
            String header = TestIssuer.b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + TestIssuer.RSA_KID
                    + "\",\"typ\":\"" + typ + "\"}");
            String signature = alg.equals("none") ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(
                    new MACSigner(new byte[64]).sign(new JWSHeader(JWSAlgorithm.parse(alg)),
                            (header + "." + payload).getBytes(java.nio.charset.StandardCharsets.US_ASCII)).decode());

            VerificationReport report = verifier.verify(header + "." + payload + "." + signature);

            assertThat(report.verified()).as("%s with typ %s", alg, typ).isFalse();
            assertThat(report.check(Check.ALGORITHM).orElseThrow().outcome()).isEqualTo(Check.Outcome.FAILED);
            assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.SKIPPED);
        }
    }

    @Test
    void anRs256SignatureByAnRsaKeyShorterThan2048BitsIsRefused() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("https://credentials.example.com/keys/weak").generate();
        CredentialVerifier trustingWeakKey = CredentialVerifier.builder()
                .trustedKeys(TrustedKeys.of(new JWKSet(List.<JWK>of(weak.toPublicJWK(), ISSUER.ecKey.toPublicJWK()))))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .checkStatus(false)
                .build();
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(weak.getKeyID())
                        .type(JOSEObjectType.JWT).build(),
                TestIssuer.payload(TestIssuer.credential()).toString(), new RSASSASigner(weak, true));

        VerificationReport report = trustingWeakKey.verify(token);

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.KID).orElseThrow())
                .satisfies(check -> assertThat(check.outcome()).isEqualTo(Check.Outcome.FAILED))
                .satisfies(check -> assertThat(check.detail()).contains("1024-bit RSA key").contains("RFC 7518 §3.3"));
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.SKIPPED);
    }

    @Test
    void anRs256StatusListWithTypVcJwtIsVerifiedAndOneWithAnotherTypIsNot() {
        ObjectNode credential = TestIssuer.credential();
        credential.set("credentialStatus", CredentialStatusTest.messageEntry(LIST_URL, 12));
        String rs256Credential = sign(JWSAlgorithm.RS256, "vc+jwt", TestIssuer.payload(credential));
        ObjectNode list = CredentialStatusTest.listCredential(LIST_URL, "https://credentials.example.com/issuer",
                "message", CredentialStatusTest.encodedList(131_072, 2, Map.of(12, 2)));

        for (String typ : new String[] {"vc+jwt", "JWT", "at+jwt"}) {
            String signedList = sign(JWSAlgorithm.RS256, typ, CredentialStatusTest.listPayload(list));
            CredentialVerifier withStatus = CredentialVerifier.builder()
                    .trustedKeys(ISSUER.publicKeys())
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .statusLists(url -> {
                        assertThat(url).isEqualTo(URI.create(LIST_URL));
                        return signedList;
                    })
                    .build();

            VerificationReport report = withStatus.verify(rs256Credential);

            Check status = report.check(Check.STATUS).orElseThrow();
            assertThat(report.verified()).isFalse();
            if (typ.equals("at+jwt")) {
                assertThat(status.detail()).as(typ).contains("typ must be JWT (OB 3.0) or vc+jwt");
            } else {
                // The list was read: entry 12 holds 2, suspended, which fails the credential.
                assertThat(status.detail()).as(typ).contains("\"suspended\"");
                assertThat(report.summary().orElseThrow().status().orElseThrow().state())
                        .isEqualTo(StatusStanding.State.SUSPENDED);
            }
        }
    }
}
