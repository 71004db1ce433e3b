package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.VerificationKey;

/**
 * {@link Check#SIGNATURE}: the JWS signature verifies with the key its {@code kid} names (RFC 7515
 * §5.2). Runs after the {@link KidCheck} passed.
 */
public final class SignatureCheck implements CredentialCheck<SignedToken> {

    @Override
    public String name() {
        return Check.SIGNATURE;
    }

    @Override
    public Check check(SignedToken token) {
        VerificationKey key = token.key();
        if (key == null) {
            return Check.failed(name(), "no trusted key to check the signature with");
        }
        VerificationKey.SignatureResult result = key.verify(token.jws());
        if (result.error() != null) {
            return Check.failed(name(), "the signature cannot be checked: " + result.error());
        }
        if (!result.valid()) {
            return Check.failed(name(), "the signature does not match the header and payload: "
                    + "the credential was altered or not signed with key \"" + key.kid() + "\"");
        }
        return Check.passed(name(), token.jws().alg() + " signature verifies with key \"" + key.kid() + "\"");
    }
}
