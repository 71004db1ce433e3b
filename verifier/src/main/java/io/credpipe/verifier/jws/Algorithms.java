package io.credpipe.verifier.jws;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JWS algorithms the verifier knows by name (RFC 7518 §3.1): which it accepts, and which
 * families the ones it refuses belong to, so the refusal can say why.
 */
public final class Algorithms {

    /** The JWS algorithms accepted: public-key signatures of the RS, PS and ES families. */
    static final Set<JWSAlgorithm> ACCEPTED_JWS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** The names of the accepted algorithms, e.g. {@code ES256}. */
    public static final Set<String> ACCEPTED = ACCEPTED_JWS.stream().map(JWSAlgorithm::getName)
            .collect(Collectors.toUnmodifiableSet());

    private Algorithms() {}

    /**
     * Whether {@code name} is an accepted algorithm (names are case-sensitive, RFC 7515 §4.1.1).
     *
     * @param name an {@code alg} value
     * @return {@code true} if accepted
     */
    public static boolean accepted(String name) {
        return ACCEPTED.contains(name);
    }

    /**
     * Whether {@code name} is an HMAC (shared-secret) algorithm.
     *
     * @param name an {@code alg} value
     * @return {@code true} for HS256, HS384, HS512
     */
    public static boolean isMac(String name) {
        return JWSAlgorithm.Family.HMAC_SHA.contains(JWSAlgorithm.parse(name));
    }

    /**
     * Whether {@code name} is an Edwards-curve algorithm ({@code EdDSA}, {@code Ed25519}, ...).
     *
     * @param name an {@code alg} value
     * @return {@code true} if so
     */
    public static boolean isEdwards(String name) {
        return JWSAlgorithm.Family.ED.contains(JWSAlgorithm.parse(name)) || name.startsWith("Ed");
    }
}
