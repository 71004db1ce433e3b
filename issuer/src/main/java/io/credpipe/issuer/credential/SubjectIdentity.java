package io.credpipe.issuer.credential;

import java.util.Objects;

/**
 * How a credential names its subject.
 *
 * @param id the subject's {@code credentialSubject.id} (and the JWT {@code sub}): a pseudonymous
 *     {@code urn:uuid:} per operator and issuer, until a wallet is bound and its DID takes over
 * @param salt the salt of the subject's hashed identifiers, per credential
 */
public record SubjectIdentity(String id, String salt) {

    public SubjectIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(salt, "salt");
    }

    /** Keeps the salt out of logs: with it, a hashed e-mail address can be checked against guesses. */
    @Override
    public String toString() {
        return "SubjectIdentity[id=" + id + ", salt=<redacted>]";
    }
}
