package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.Algorithms;
import io.credpipe.verifier.jws.CompactJws;

/**
 * {@link Check#ALGORITHM}: the header {@code alg} is a public-key signature this verifier accepts.
 * {@code none} and the HMAC algorithms are refused because they prove nothing about the issuer;
 * {@code EdDSA} because 1EdTech's validator rejects EdDSA JWT proofs, so no credpipe issuer
 * produces them.
 */
public final class AlgorithmCheck implements CredentialCheck<CompactJws> {

    @Override
    public String name() {
        return Check.ALGORITHM;
    }

    @Override
    public Check check(CompactJws jws) {
        JsonNode alg = jws.header().get("alg");
        if (alg == null || !alg.isTextual()) {
            return Check.failed(name(), "the header has no alg (RFC 7515 §4.1.1)");
        }
        String name = alg.asText();
        if (name.equalsIgnoreCase("none")) {
            return Check.failed(name(), "alg \"none\": an unsecured JWT carries no signature, so nothing vouches for it");
        }
        if (Algorithms.isMac(name)) {
            return Check.failed(name(), "alg " + name + " is a shared-secret MAC, not an issuer signature: whoever can check it "
                    + "can forge it, and a public key used as its secret is the algorithm-confusion attack; "
                    + "OB 3.0 §8.2.3 calls for a public-key signature (RS256 at least)");
        }
        if (Algorithms.isEdwards(name)) {
            return Check.failed(name(), "alg " + name + " is not accepted: 1EdTech's validator rejects EdDSA JWT proofs, "
                    + "so credpipe issues ES256 or RS256 only");
        }
        if (!Algorithms.accepted(name)) {
            return Check.failed(name(), "alg " + name + " is not accepted; accepted: "
                    + String.join(", ", Algorithms.ACCEPTED.stream().sorted().toList()));
        }
        return Check.passed(name(), name);
    }
}
