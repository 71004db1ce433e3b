package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;

/**
 * One verification step, in the manner of walt.id's verification policies: a small, named judge
 * of one fact about a credential that turns what the lower layers produced ({@code jws} parsing
 * and signature checks, the {@code status} lists, the {@code credential} reading) into a
 * {@link Check} with a plain-language reason. Checks import no JOSE library and do no I/O, so each
 * is tested on its own.
 *
 * @param <T> what the check looks at, e.g. a parsed JWS or a credential payload
 */
public interface CredentialCheck<T> {

    /**
     * The stable name of the check this reports, one of {@link Check}'s constants.
     *
     * @return the name
     */
    String name();

    /**
     * Whether the check is reported at all for {@code subject}; e.g. the status check only for a
     * credential with a {@code credentialStatus}. Most checks always apply.
     *
     * @param subject what the check looks at
     * @return {@code true} if {@link #check} should run
     */
    default boolean appliesTo(T subject) {
        return true;
    }

    /**
     * Judges {@code subject}.
     *
     * @param subject what the check looks at
     * @return the check, named {@link #name()}
     */
    Check check(T subject);
}
