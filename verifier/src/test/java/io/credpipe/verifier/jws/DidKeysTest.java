package io.credpipe.verifier.jws;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.fetch.HttpFetch;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys resolved from a DID the kid names: did:jwk and did:key locally, did:web's URL. */
class DidKeysTest {

    private static final CredentialVerifier DIDS = CredentialVerifier.builder().resolveDids(true)
            .checkStatus(false).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private static String signedBy(ECKey key, String did, String kid) throws Exception {
        ObjectNode credential = TestIssuer.credential();
        ((ObjectNode) credential.get("issuer")).put("id", did);
        ObjectNode payload = TestIssuer.payload(credential);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build();
        return TestIssuer.sign(header, payload.toString(), new ECDSASigner(key));
    }

    private static String didJwk(ECKey key) {
        return "did:jwk:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDidJwkIssuerVerifiesWithTheKeyItsDidHolds() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String did = didJwk(key);
        VerificationReport report = DIDS.verify(signedBy(key, did, did + "#0"));
        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(report.check(Check.KID).orElseThrow().detail()).contains("of the issuer's DID " + did);
    }

    @Test
    void aDidKeyOfAnotherIssuerIsRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String did = didJwk(key);
        VerificationReport report = DIDS.verify(signedBy(key, "https://credentials.example.com/issuer", did + "#0"));
        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.KID).orElseThrow().detail()).contains("vouch only for credentials issued in its name");
    }

    @Test
    void aP256DidKeyIsDecompressedToTheSameKey() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        byte[] x = key.getX().decode();
        boolean odd = new BigInteger(1, key.getY().decode()).testBit(0);
        byte[] multicodec = new byte[2 + 1 + 32];
        multicodec[0] = (byte) 0x80;
        multicodec[1] = 0x24;
        multicodec[2] = (byte) (odd ? 3 : 2);
        System.arraycopy(x, 0, multicodec, 3 + 32 - x.length, x.length);
        String id = "z" + base58(multicodec);
        String did = "did:key:" + id;
        VerificationReport report = DIDS.verify(signedBy(key, did, did + "#" + id));
        assertThat(report.verified()).as(report.describe()).isTrue();
    }

    @Test
    void didWebNamesItsDocumentPerTheMethodSpec() throws Exception {
        DidResolver https = new DidResolver(new HttpFetch(Duration.ofSeconds(1)));
        assertThat(https.didWebUrl("did:web:example.com")).isEqualTo(URI.create("https://example.com/.well-known/did.json"));
        assertThat(https.didWebUrl("did:web:example.com:user:alice"))
                .isEqualTo(URI.create("https://example.com/user/alice/did.json"));
        assertThat(https.didWebUrl("did:web:localhost%3A8443")).isEqualTo(URI.create("https://localhost:8443/.well-known/did.json"));
        DidResolver local = new DidResolver(new HttpFetch(Duration.ofSeconds(1), Set.of("127.0.0.1"), null));
        assertThat(local.didWebUrl("did:web:127.0.0.1%3A8080")).isEqualTo(URI.create("http://127.0.0.1:8080/.well-known/did.json"));
        assertThat(DidResolver.didOf("did:web:example.com#key-1")).isEqualTo("did:web:example.com");
    }

    @Test
    void withoutDidResolutionADidKidIsNotResolved() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String did = didJwk(key);
        CredentialVerifier pinned = CredentialVerifier.builder().trustedKeys(new TestIssuer().publicKeys())
                .checkStatus(false).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        assertThat(pinned.verify(signedBy(key, did, did + "#0")).verified()).isFalse();
    }

    private static String base58(byte[] bytes) {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder out = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(BigInteger.valueOf(58));
            out.append(alphabet.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (byte b : bytes) {
            if (b != 0) {
                break;
            }
            out.append('1');
        }
        return out.reverse().toString();
    }
}
