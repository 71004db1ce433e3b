package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.DidResolver;
import io.credpipe.model.credential.DidWeb;

/**
 * {@link Check#VERIFICATION_METHOD}: the proof's key was found (see
 * {@link DidResolver#proofKey(String)}) and belongs to the credential's issuer: its controller DID
 * is the issuer's id, or, for a {@code did:web}, the issuer's id is an http(s) URL on the very host
 * (and port) the DID names, since whoever serves that host's DID document serves its issuer profile
 * too. A DID document that cannot be had is "cannot tell", like keys that cannot be fetched.
 */
public final class VerificationMethodCheck implements CredentialCheck<VerificationMethodCheck.Subject> {

    /**
     * What is judged.
     *
     * @param key      the resolved key, or why there is none
     * @param issuerId the credential's issuer id, {@code null} when it has none
     */
    public record Subject(DidResolver.ProofKey key, String issuerId) {}

    @Override
    public String name() {
        return Check.VERIFICATION_METHOD;
    }

    @Override
    public Check check(Subject subject) {
        DidResolver.ProofKey key = subject.key();
        if (key.failure() != null) {
            return key.undecided() ? Check.cannotTell(name(), key.failure()) : Check.failed(name(), key.failure());
        }
        if (!controls(key.controller(), subject.issuerId())) {
            return Check.failed(name(), "the proof's key belongs to " + key.controller() + ", which is not the credential's issuer "
                    + subject.issuerId());
        }
        return Check.passed(name(), "Ed25519 key of " + key.controller() + " from " + key.source());
    }

    /** Whether {@code did} is, or controls the web origin of, {@code issuerId} (see {@link DidWeb#controls}). */
    static boolean controls(String did, String issuerId) {
        return DidWeb.controls(did, issuerId);
    }
}
