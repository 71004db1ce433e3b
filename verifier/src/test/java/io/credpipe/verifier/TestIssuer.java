package io.credpipe.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.credpipe.verifier.jws.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Plays the issuer in tests: holds freshly generated EC P-256 and RSA keys and signs OB 3.0
 * credentials in the JWT proof format (OB 3.0 §8.2.4: the payload is the credential itself plus
 * {@code iss}, {@code sub}, {@code jti}, {@code nbf} and {@code exp}).
 */
public final class TestIssuer {

    public static final String EC_KID = "https://credentials.example.com/issuer#key-1";
    public static final String RSA_KID = "https://credentials.example.com/issuer#key-rsa";

    /** Between the test credential's validFrom (2026-05-20) and validUntil (2029-05-20). */
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    public static final ObjectMapper JSON = new ObjectMapper();

    public final ECKey ecKey;
    public final RSAKey rsaKey;

    public TestIssuer() {
        try {
            ecKey = new ECKeyGenerator(Curve.P_256).keyID(EC_KID).generate();
            rsaKey = new RSAKeyGenerator(2048).keyID(RSA_KID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the issuer publishes at {@code /.well-known/jwks.json}: public keys only. */
    public TrustedKeys publicKeys() {
        return TrustedKeys.of(publicJwks());
    }

    /** The same keys as a Nimbus JWK set. */
    public JWKSet publicJwks() {
        return new JWKSet(List.<JWK>of(ecKey.toPublicJWK(), rsaKey.toPublicJWK()));
    }

    /** A fresh copy of the test credential (see SOURCES.md beside it). */
    public static ObjectNode credential() {
        try (InputStream in = TestIssuer.class.getResourceAsStream("competency-credential.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JWT payload of a credential: the credential plus the registered claims (OB 3.0 §8.2.4.1). */
    public static ObjectNode payload(ObjectNode credential) {
        ObjectNode payload = credential.deepCopy();
        payload.put("iss", credential.get("issuer").get("id").asText());
        payload.put("jti", credential.get("id").asText());
        if (credential.get("credentialSubject").has("id")) {
            payload.put("sub", credential.get("credentialSubject").get("id").asText());
        }
        payload.put("nbf", Instant.parse(credential.get("validFrom").asText()).getEpochSecond());
        if (credential.has("validUntil")) {
            payload.put("exp", Instant.parse(credential.get("validUntil").asText()).getEpochSecond());
        }
        return payload;
    }

    /** The test credential signed with ES256 and {@code typ: JWT}. */
    public String es256() {
        return es256(payload(credential()));
    }

    public String es256(ObjectNode payload) {
        return sign(header(JWSAlgorithm.ES256, EC_KID), payload.toString(), ecSigner());
    }

    /** {@code payload} signed with the EC key and {@code typ: JWT}, naming it {@code kid}. */
    public String es256WithKid(ObjectNode payload, String kid) {
        return sign(header(JWSAlgorithm.ES256, kid), payload.toString(), ecSigner());
    }

    public String rs256(ObjectNode payload) {
        return sign(header(JWSAlgorithm.RS256, RSA_KID), payload.toString(), rsaSigner());
    }

    public static JWSHeader header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    public RSASSASigner rsaSigner() {
        try {
            return new RSASSASigner(rsaKey);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECDSASigner ecSigner() {
        try {
            return new ECDSASigner(ecKey);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSHeader header, String payload, JWSSigner signer) {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    /** Base64url without padding, as JWS segments are written. */
    public static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
