package io.credpipe.issuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Objects;
import java.util.Optional;

/**
 * The JWS algorithms credpipe signs credentials with, each tied to one kind of key.
 *
 * <p>Open Badges 3.0 asks for "RS256 as a minimum" and permits other algorithms
 * (https://www.imsglobal.org/spec/ob/v3p0/#joseheader); ES256 is the default because its keys and
 * signatures are small and fast at the same security strength. EdDSA is deliberately absent:
 * 1EdTech's validator rejects EdDSA JWT proofs.
 */
public enum SigningAlgorithm {

    /** ECDSA with P-256 and SHA-256 (RFC 7518 §3.4). The default. */
    ES256(JWSAlgorithm.ES256),

    /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3). */
    RS256(JWSAlgorithm.RS256);

    /**
     * The size of the RSA keys credpipe generates. RFC 7518 §3.3 sets 2048 bits as the minimum;
     * 3072 bits give 128-bit security (NIST SP 800-57 Part 1 Rev. 5, Table 2), the strength of the
     * P-256 keys of ES256, and stay acceptable beyond 2030, when NIST retires 112-bit (2048-bit RSA)
     * protection for new signatures (SP 800-131A Rev. 2). Credentials are long-lived, so the key that
     * vouches for them should be too.
     */
    public static final int RSA_KEY_BITS = 3072;

    /** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
    public static final int MIN_RSA_KEY_BITS = 2048;

    private final JWSAlgorithm jwsAlgorithm;

    SigningAlgorithm(JWSAlgorithm jwsAlgorithm) {
        this.jwsAlgorithm = jwsAlgorithm;
    }

    /** The JOSE {@code alg} value. */
    public JWSAlgorithm jwsAlgorithm() {
        return jwsAlgorithm;
    }

    /**
     * The algorithm {@code key} signs with: ES256 for an EC P-256 key, RS256 for an RSA key of at
     * least {@value #MIN_RSA_KEY_BITS} bits; empty for any other key, a shorter RSA key among them.
     */
    public static Optional<SigningAlgorithm> of(JWK key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return Optional.of(ES256);
        }
        if (key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_KEY_BITS) {
            return Optional.of(RS256);
        }
        return Optional.empty();
    }

    /** What {@code key} is, for messages: never key material. */
    static String describe(JWK key) {
        if (key instanceof ECKey ec) {
            return "an EC " + ec.getCurve() + " key";
        }
        if (key instanceof RSAKey rsa) {
            return "a " + rsa.size() + "-bit RSA key";
        }
        return "a " + key.getKeyType() + " key";
    }

    /**
     * A new private key for this algorithm, marked for signatures with this algorithm and with its
     * RFC 7638 thumbprint as {@code kid}.
     */
    JWK generateKey() {
        try {
            return switch (this) {
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm)
                        .keyIDFromThumbprint(true).generate();
                case RS256 -> new RSAKeyGenerator(RSA_KEY_BITS).keyUse(KeyUse.SIGNATURE).algorithm(jwsAlgorithm)
                        .keyIDFromThumbprint(true).generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    /**
     * A signer with {@code privateKey}.
     *
     * @throws IllegalArgumentException when the key is not a private key of this algorithm's kind
     */
    JWSSigner signer(JWK privateKey) {
        if (of(privateKey).orElse(null) != this || !privateKey.isPrivate()) {
            throw new IllegalArgumentException(this + " needs " + (this == ES256
                    ? "an EC P-256 private key"
                    : "an RSA private key of at least " + MIN_RSA_KEY_BITS + " bits (RFC 7518 §3.3)")
                    + ", not " + describe(privateKey) + (privateKey.isPrivate() ? "" : " without its private part"));
        }
        try {
            return this == ES256 ? new ECDSASigner(privateKey.toECKey()) : new RSASSASigner(privateKey.toRSAKey());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable " + this + " signing key", e);
        }
    }
}
