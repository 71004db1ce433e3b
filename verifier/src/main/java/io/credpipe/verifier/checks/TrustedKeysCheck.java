package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.KeySource;

/** {@link Check#TRUSTED_KEYS}: the trusted public keys could be loaded. */
public final class TrustedKeysCheck implements CredentialCheck<KeySource.Loaded> {

    @Override
    public String name() {
        return Check.TRUSTED_KEYS;
    }

    @Override
    public Check check(KeySource.Loaded loaded) {
        if (loaded.failure() != null) {
            return Check.failed(name(), loaded.failure());
        }
        int size = loaded.keys().size();
        return Check.passed(name(), size + (size == 1 ? " public key from " : " public keys from ") + loaded.source());
    }
}
