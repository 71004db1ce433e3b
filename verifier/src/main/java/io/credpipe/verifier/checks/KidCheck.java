package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.VerificationKey;

/**
 * {@link Check#KID}: the header {@code kid} names a trusted key whose type fits {@code alg}. For a
 * key resolved from a DID, the credential's {@code iss} must be that DID: anyone can make a DID, so
 * its keys vouch only for credentials issued in its name.
 */
public final class KidCheck implements CredentialCheck<SignedToken> {

    @Override
    public String name() {
        return Check.KID;
    }

    @Override
    public Check check(SignedToken token) {
        JsonNode header = token.jws().header();
        JsonNode kid = header.get("kid");
        if (kid == null) {
            return Check.failed(name(), "the header has no kid, so no trusted key can be chosen"
                    + (header.has("jwk") ? " (a key embedded in the header as jwk vouches only for itself)" : ""));
        }
        if (!kid.isTextual()) {
            return Check.failed(name(), "kid must be a string, was " + kid);
        }
        VerificationKey key = token.key();
        if (key == null) {
            String known = String.join(", ", token.keys().keyIds().stream().limit(10).toList());
            return Check.failed(name(), "no trusted key has kid \"" + kid.asText() + "\""
                    + (known.isEmpty() ? "" : " (trusted: " + known + ")"));
        }
        String mismatch = key.mismatch(token.jws().alg());
        if (mismatch != null) {
            return Check.failed(name(), "key \"" + kid.asText() + "\" " + mismatch);
        }
        if (token.controller() != null) {
            String iss = token.unverifiedIssuer();
            if (!token.controller().equals(iss)) {
                return Check.failed(name(), "key \"" + kid.asText() + "\" belongs to " + token.controller()
                        + ", but the credential's iss is " + (iss == null ? "missing" : "\"" + iss + "\"")
                        + ": a DID's keys vouch only for credentials issued in its name");
            }
            return Check.passed(name(), "\"" + kid.asText() + "\" is an " + key.describe() + " of the issuer's DID "
                    + token.controller() + " (an assertionMethod)");
        }
        return Check.passed(name(), "\"" + kid.asText() + "\" is a trusted " + key.describe());
    }
}
