package io.credpipe.issuer.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.junit.jupiter.api.Test;

class HolderProofTest {

    private static final String ISSUER = "https://credentials.example.com";
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    private static JWTClaimsSet claims(String aud, Instant iat, String nonce) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().audience(aud).issueTime(Date.from(iat));
        return nonce == null ? builder.build() : builder.claim("nonce", nonce).build();
    }

    private static String es256(JWSHeader header, JWTClaimsSet claims, ECKey signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private static JWSHeader.Builder header(JWSAlgorithm alg) {
        return new JWSHeader.Builder(alg).type(new JOSEObjectType(HolderProof.TYPE));
    }

    @Test
    void anEs256ProofWithItsJwkNamesTheHolderByDidJwk() throws Exception {
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        String proof = es256(header(JWSAlgorithm.ES256).jwk(holder.toPublicJWK()).build(), claims(ISSUER, NOW, "n1"), holder);
        HolderProof.Verified verified = HolderProof.verify(proof, ISSUER, NOW);
        assertThat(verified.holder()).startsWith("did:jwk:");
        assertThat(verified.nonce()).isEqualTo("n1");
        assertThat(HolderDid.publicKey(verified.holder()).computeThumbprint()).isEqualTo(holder.computeThumbprint());
    }

    @Test
    void anEs256ProofWhoseKidIsADidKeyIsCheckedWithTheDecompressedKey() throws Exception {
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        String did = didKeyP256(holder);
        String proof = es256(header(JWSAlgorithm.ES256).keyID(did + "#" + did.substring(8)).build(),
                claims(ISSUER, NOW, "n"), holder);
        assertThat(HolderProof.verify(proof, ISSUER, NOW).holder()).isEqualTo(did);
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        String forged = es256(header(JWSAlgorithm.ES256).keyID(did).build(), claims(ISSUER, NOW, "n"), other);
        assertThatThrownBy(() -> HolderProof.verify(forged, ISSUER, NOW)).hasMessageContaining("signature");
    }

    @Test
    void anEdDsaProofWithADidKeyVerifiesWithTheJdksEd25519() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        byte[] tagged = new byte[34];
        tagged[0] = (byte) 0xed;
        tagged[1] = 0x01;
        System.arraycopy(raw, 0, tagged, 2, 32);
        String did = "did:key:z" + base58(tagged);
        String signingInput = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType(HolderProof.TYPE))
                .keyID(did).build().toBase64URL() + "." + Base64URL.encode(claims(ISSUER, NOW, "n").toString());
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String proof = signingInput + "." + Base64URL.encode(signer.sign());
        assertThat(HolderProof.verify(proof, ISSUER, NOW).holder()).isEqualTo(did);
    }

    @Test
    void aProofForAnotherAudienceOldOrWithoutNonceOrOfAnotherTypeIsRejected() throws Exception {
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        JWSHeader good = header(JWSAlgorithm.ES256).jwk(holder.toPublicJWK()).build();
        assertThatThrownBy(() -> HolderProof.verify(es256(good, claims("https://other.example", NOW, "n"), holder), ISSUER, NOW))
                .hasMessageContaining("aud");
        assertThatThrownBy(() -> HolderProof.verify(es256(good, claims(ISSUER, NOW.minusSeconds(600), "n"), holder), ISSUER, NOW))
                .hasMessageContaining("iat");
        assertThatThrownBy(() -> HolderProof.verify(es256(good, claims(ISSUER, NOW.plusSeconds(600), "n"), holder), ISSUER, NOW))
                .hasMessageContaining("iat");
        assertThatThrownBy(() -> HolderProof.verify(es256(good, claims(ISSUER, NOW, null), holder), ISSUER, NOW))
                .hasMessageContaining("nonce");
        JWSHeader plainJwt = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).jwk(holder.toPublicJWK()).build();
        assertThatThrownBy(() -> HolderProof.verify(es256(plainJwt, claims(ISSUER, NOW, "n"), holder), ISSUER, NOW))
                .hasMessageContaining("typ");
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThatThrownBy(() -> HolderProof.verify(es256(good, claims(ISSUER, NOW, "n"), other), ISSUER, NOW))
                .isInstanceOf(HolderProof.Rejected.class).hasMessageContaining("signature");
        JWSHeader privateJwk = header(JWSAlgorithm.ES256).jwk(holder.toPublicJWK()).keyID(didKeyP256(holder)).build();
        assertThatThrownBy(() -> HolderProof.verify(es256(privateJwk, claims(ISSUER, NOW, "n"), holder), ISSUER, NOW))
                .hasMessageContaining("twice");
    }

    /** did:key of a P-256 key: multicodec p256-pub (0x1200) + the compressed point, base58btc. */
    static String didKeyP256(ECKey key) {
        byte[] x = key.getX().decode();
        BigInteger y = key.getY().decodeToBigInteger();
        byte[] tagged = new byte[2 + 33];
        tagged[0] = (byte) 0x80;
        tagged[1] = 0x24;
        tagged[2] = (byte) (y.testBit(0) ? 3 : 2);
        System.arraycopy(x, 0, tagged, 3, 32);
        return "did:key:z" + base58(tagged);
    }

    static String base58(byte[] bytes) {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder out = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] divided = value.divideAndRemainder(BigInteger.valueOf(58));
            out.append(alphabet.charAt(divided[1].intValue()));
            value = divided[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
