package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.json.StrictJson;
import io.credpipe.verifier.jws.CompactJws;
import io.credpipe.verifier.jws.TrustedKeys;
import io.credpipe.verifier.jws.VerificationKey;
import java.io.IOException;
import java.util.Objects;

/**
 * A parsed JWS with an accepted algorithm and the keys trusted to have signed it: what the
 * {@link KidCheck} and the {@link SignatureCheck} look at.
 *
 * @param jws        the JWS, whose {@code alg} is {@linkplain io.credpipe.verifier.jws.Algorithms#accepted accepted}
 * @param keys       the trusted keys
 * @param controller the DID the keys were resolved from, whose credentials alone they may sign;
 *                   {@code null} for keys the verifier was configured to trust
 */
public record SignedToken(CompactJws jws, TrustedKeys keys, String controller) {

    /**
     * Creates the triple.
     *
     * @param jws        the JWS
     * @param keys       the trusted keys
     * @param controller the DID the keys came from, or {@code null}
     */
    public SignedToken {
        Objects.requireNonNull(jws, "jws");
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * A JWS with keys the verifier was configured to trust.
     *
     * @param jws  the JWS
     * @param keys the trusted keys
     */
    public SignedToken(CompactJws jws, TrustedKeys keys) {
        this(jws, keys, null);
    }

    /**
     * The payload's {@code iss}, read before the signature is checked: only to compare with the
     * DID a key came from, which the signature then confirms.
     *
     * @return the issuer claim, or {@code null} when the payload has no string {@code iss}
     */
    public String unverifiedIssuer() {
        try {
            JsonNode payload = StrictJson.read(jws.payload());
            return payload == null ? null : StrictJson.string(payload.get("iss"));
        } catch (IOException e) {
            return null;
        }
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
