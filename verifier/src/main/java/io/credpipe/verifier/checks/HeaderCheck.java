package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.CompactJws;

/**
 * {@link Check#HEADER}: no {@code crit} (RFC 7515 §4.1.11) and a {@code typ}, when present, of
 * {@code JWT} or {@code vc+jwt} ({@link CompactJws#typMismatch}). Not blocking: a bad header already
 * fails the credential, and the signature is still worth reporting.
 */
public final class HeaderCheck implements CredentialCheck<CompactJws> {

    @Override
    public String name() {
        return Check.HEADER;
    }

    @Override
    public Check check(CompactJws jws) {
        JsonNode crit = jws.header().get("crit");
        if (crit != null) {
            return Check.failed(name(), "critical header parameters " + crit + " are not understood, so the JWS "
                    + "must be rejected (RFC 7515 §4.1.11)");
        }
        JsonNode typ = jws.header().get("typ");
        if (typ == null) {
            return Check.passed(name(), "no typ");
        }
        String mismatch = CompactJws.typMismatch(typ);
        return mismatch == null ? Check.passed(name(), "typ " + typ.asText()) : Check.failed(name(), mismatch);
    }
}
