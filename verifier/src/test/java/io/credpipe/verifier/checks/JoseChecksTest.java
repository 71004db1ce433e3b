package io.credpipe.verifier.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.jws.CompactJws;
import io.credpipe.verifier.jws.KeySource;
import io.credpipe.verifier.jws.TrustedKeys;
import org.junit.jupiter.api.Test;

/** The checks of the JOSE layer, each alone on what {@code jws} produced. */
class JoseChecksTest {

    private static final TestIssuer ISSUER = new TestIssuer();

    private static CompactJws header(String json) {
        return CompactJws.parse(TestIssuer.b64(json) + "." + TestIssuer.b64("{}") + ".AAAA").jws();
    }

    @Test
    void compactJwsPassesWithTheHeaderAndFailsWithTheParserReason() {
        Check passed = new CompactJwsCheck().check(CompactJws.parse(ISSUER.es256()));
        assertThat(passed.outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(passed.detail()).startsWith("3 base64url segments; header {").contains("ES256");

        Check jwe = new CompactJwsCheck().check(CompactJws.parse("a.b.c.d.e"));
        assertThat(jwe.isFailed()).isTrue();
        assertThat(jwe.detail()).contains("encrypted JWE");
        assertThat(new CompactJwsCheck().check(CompactJws.parse("a.b")).detail()).contains("found 2");
    }

    @Test
    void algorithmAcceptsPublicKeySignaturesOnlyAndSaysWhyNot() {
        AlgorithmCheck check = new AlgorithmCheck();
        assertThat(check.check(header("{\"alg\":\"ES256\"}")).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(check.check(header("{\"alg\":\"PS512\"}")).outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(check.check(header("{\"alg\":\"none\"}")).detail()).contains("unsecured");
        assertThat(check.check(header("{\"alg\":\"HS256\"}")).detail()).contains("shared-secret MAC");
        assertThat(check.check(header("{\"alg\":\"EdDSA\"}")).detail()).contains("EdDSA");
        assertThat(check.check(header("{\"alg\":\"ES256K\"}")).detail()).contains("accepted: ES256, ES384");
        assertThat(check.check(header("{\"typ\":\"JWT\"}")).detail()).contains("no alg");
    }

    @Test
    void headerRefusesCritAndForeignTypsButAcceptsJwtAndVcJwt() {
        HeaderCheck check = new HeaderCheck();
        assertThat(check.check(header("{\"alg\":\"ES256\"}")).detail()).isEqualTo("no typ");
        assertThat(check.check(header("{\"alg\":\"ES256\",\"typ\":\"application/VC+JWT\"}")).isFailed()).isFalse();
        assertThat(check.check(header("{\"alg\":\"ES256\",\"typ\":\"at+jwt\"}")).isFailed()).isTrue();
        assertThat(check.check(header("{\"alg\":\"ES256\",\"crit\":[\"b64\"]}")).detail()).contains("RFC 7515 §4.1.11");
    }

    @Test
    void trustedKeysReportsTheCountOrTheFailure() {
        TrustedKeysCheck check = new TrustedKeysCheck();
        assertThat(check.check(new KeySource.Given(ISSUER.publicKeys()).load()).detail())
                .isEqualTo("2 public keys from the given JWK set");
        Check failed = check.check(new KeySource.Loaded(null, "JWKS x", "cannot fetch the issuer's keys: HTTP 404"));
        assertThat(failed.isFailed()).isTrue();
        assertThat(failed.detail()).contains("HTTP 404");
    }

    @Test
    void kidMustNameATrustedKeyOfTheRightType() {
        KidCheck check = new KidCheck();
        TrustedKeys keys = ISSUER.publicKeys();
        assertThat(check.check(new SignedToken(CompactJws.parse(ISSUER.es256()).jws(), keys)).detail())
                .isEqualTo("\"" + TestIssuer.EC_KID + "\" is a trusted EC P-256 key");
        assertThat(check.check(new SignedToken(header("{\"alg\":\"ES256\",\"kid\":\"other\"}"), keys)).detail())
                .contains("no trusted key has kid \"other\"").contains(TestIssuer.RSA_KID);
        assertThat(check.check(new SignedToken(header("{\"alg\":\"ES256\",\"kid\":\"" + TestIssuer.RSA_KID + "\"}"), keys))
                .detail()).contains("needs an EC key");
        assertThat(check.check(new SignedToken(header("{\"alg\":\"ES256\",\"jwk\":{}}"), keys)).detail())
                .contains("vouches only for itself");
    }

    @Test
    void signatureVerifiesOnlyTheUnalteredToken() {
        SignatureCheck check = new SignatureCheck();
        String token = ISSUER.es256();
        assertThat(check.check(new SignedToken(CompactJws.parse(token).jws(), ISSUER.publicKeys())).detail())
                .isEqualTo("ES256 signature verifies with key \"" + TestIssuer.EC_KID + "\"");
        String other = TestIssuer.sign(TestIssuer.header(JWSAlgorithm.ES256, TestIssuer.EC_KID), "{\"x\":1}", ISSUER.ecSigner());
        String spliced = token.substring(0, token.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
        Check failed = check.check(new SignedToken(CompactJws.parse(spliced).jws(), ISSUER.publicKeys()));
        assertThat(failed.isFailed()).isTrue();
        assertThat(failed.detail()).contains("does not match");
    }
}
