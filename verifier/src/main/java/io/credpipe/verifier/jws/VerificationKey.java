package io.credpipe.verifier.jws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.Objects;

/**
 * One trusted public key, as a JWK (RFC 7517), able to check JWS signatures.
 */
public final class VerificationKey {

    /** RFC 7518 §3.3: RSA keys used with RS and PS algorithms are at least 2048 bits. */
    public static final int MIN_RSA_BITS = 2048;

    private final JWK jwk;

    VerificationKey(JWK jwk) {
        this.jwk = Objects.requireNonNull(jwk, "jwk");
    }

    /**
     * The key's {@code kid}.
     *
     * @return the key id, or {@code null}
     */
    public String kid() {
        return jwk.getKeyID();
    }

    /**
     * For people: e.g. {@code EC P-256 key} or {@code 2048-bit RSA key}.
     *
     * @return the description
     */
    public String describe() {
        return jwk instanceof ECKey ec ? "EC " + ec.getCurve() + " key"
                : jwk instanceof RSAKey rsa ? rsa.size() + "-bit RSA key" : jwk.getKeyType() + " key";
    }

    /**
     * Why this key cannot verify {@code alg} signatures, or {@code null} if it can: the key type
     * and curve must fit the algorithm (RFC 7518 §3.3, §3.4) and the key's own {@code use},
     * {@code key_ops} and {@code alg}, when present, must allow it (RFC 7517 §4.2–§4.4).
     *
     * @param algName an accepted algorithm name ({@link Algorithms#ACCEPTED})
     * @return the mismatch, to follow the key's name in a sentence, or {@code null}
     */
    public String mismatch(String algName) {
        JWSAlgorithm alg = JWSAlgorithm.parse(algName);
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            if (!(jwk instanceof ECKey ec)) {
                return "is " + jwk.getKeyType() + ", but " + alg + " needs an EC key";
            }
            if (!Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
                return "is on curve " + ec.getCurve() + ", but " + alg + " needs " + Curve.forJWSAlgorithm(alg);
            }
        } else {
            if (!(jwk instanceof RSAKey rsa)) {
                return "is " + jwk.getKeyType() + ", but " + alg + " needs an RSA key";
            }
            if (rsa.size() < MIN_RSA_BITS) {
                return "is a " + rsa.size() + "-bit RSA key; RFC 7518 §3.3 requires at least " + MIN_RSA_BITS;
            }
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return "is for use \"" + jwk.getKeyUse().identifier() + "\", not signatures";
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return "has key_ops " + jwk.getKeyOperations() + " without verify";
        }
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(alg.getName())) {
            return "is for alg " + jwk.getAlgorithm() + ", not " + alg;
        }
        return null;
    }

    /**
     * Checks the signature of {@code jws} with this key (RFC 7515 §5.2). The caller has checked
     * that the key {@linkplain #mismatch fits} the header's algorithm.
     *
     * @param jws the JWS
     * @return whether it verifies, or why it could not be checked
     */
    public SignatureResult verify(CompactJws jws) {
        try {
            JWSObject parsed = JWSObject.parse(jws.token());
            JWSVerifier verifier = jwk instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) jwk);
            return parsed.verify(verifier) ? SignatureResult.VALID : SignatureResult.MISMATCH;
        } catch (ParseException | JOSEException | ClassCastException e) {
            return new SignatureResult(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * The outcome of {@link #verify(CompactJws)}.
     *
     * @param valid whether the signature verifies
     * @param error why it could not be checked at all, {@code null} when it was
     */
    public record SignatureResult(boolean valid, String error) {
        static final SignatureResult VALID = new SignatureResult(true, null);
        static final SignatureResult MISMATCH = new SignatureResult(false, null);
    }
}
