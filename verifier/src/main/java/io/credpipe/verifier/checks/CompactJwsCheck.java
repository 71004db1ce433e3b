package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.jws.CompactJws;

/** {@link Check#COMPACT_JWS}: the input is a JWS in compact serialization with canonical segments (RFC 7515 §7.1). */
public final class CompactJwsCheck implements CredentialCheck<CompactJws.Parsed> {

    @Override
    public String name() {
        return Check.COMPACT_JWS;
    }

    @Override
    public Check check(CompactJws.Parsed parsed) {
        if (parsed.failure() != null) {
            return Check.failed(name(), parsed.failure());
        }
        String shown = parsed.jws().header().toString();
        return Check.passed(name(), "3 base64url segments; header "
                + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown));
    }
}
