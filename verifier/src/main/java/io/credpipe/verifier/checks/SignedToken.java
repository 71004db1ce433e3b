package io.credpipe.verifier.checks;

import io.credpipe.verifier.jws.CompactJws;
import io.credpipe.verifier.jws.TrustedKeys;
import io.credpipe.verifier.jws.VerificationKey;
import java.util.Objects;

/**
 * A parsed JWS with an accepted algorithm and the keys trusted to have signed it: what the
 * {@link KidCheck} and the {@link SignatureCheck} look at.
 *
 * @param jws  the JWS, whose {@code alg} is {@linkplain io.credpipe.verifier.jws.Algorithms#accepted accepted}
 * @param keys the trusted keys
 */
public record SignedToken(CompactJws jws, TrustedKeys keys) {

    /**
     * Creates the pair.
     *
     * @param jws  the JWS
     * @param keys the trusted keys
     */
    public SignedToken {
        Objects.requireNonNull(jws, "jws");
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * The trusted key the header's {@code kid} names.
     *
     * @return the key, or {@code null} when the kid is missing, not a string or unknown
     */
    public VerificationKey key() {
        var kid = jws.header().get("kid");
        return kid == null || !kid.isTextual() ? null : keys.find(kid.asText());
    }
}
