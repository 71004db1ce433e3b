package io.credpipe.issuer.signing;

import java.util.Objects;

/**
 * A credential secured with the Open Badges 3.0 JSON Web Token proof.
 *
 * @param jwt the compact JWS
 * @param keyId the {@code kid} of the key that signed it
 */
public record SignedCredential(String jwt, String keyId) {

    public SignedCredential {
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(keyId, "keyId");
    }
}
