package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import java.util.function.Function;

/**
 * {@link Check#ISS}, {@link Check#JTI} and {@link Check#SUB}: a registered JWT claim equals the
 * credential property it stands for (OB 3.0 §8.2.6.1: the claim MUST be present and MUST match).
 * OB 3.0 ties {@code sub} to {@code credentialSubject.id}; a subject identified only by
 * {@code identifier} (OB 3.0 B.1.3) has no id, so it must have no {@code sub} either.
 */
public final class ClaimCheck implements CredentialCheck<CredentialPayload> {

    private final String name;
    private final String claim;
    private final String property;
    private final Function<CredentialPayload, String> expected;

    private ClaimCheck(String name, String claim, String property, Function<CredentialPayload, String> expected) {
        this.name = name;
        this.claim = claim;
        this.property = property;
        this.expected = expected;
    }

    /**
     * {@code iss} equals the issuer's id.
     *
     * @return the check
     */
    public static ClaimCheck iss() {
        return new ClaimCheck(Check.ISS, "iss", "issuer.id", CredentialPayload::issuerId);
    }

    /**
     * {@code jti} equals the credential's id.
     *
     * @return the check
     */
    public static ClaimCheck jti() {
        return new ClaimCheck(Check.JTI, "jti", "id", CredentialPayload::credentialId);
    }

    /**
     * {@code sub} equals the subject's id, and is absent when the subject has none.
     *
     * @return the check
     */
    public static ClaimCheck sub() {
        return new ClaimCheck(Check.SUB, "sub", "credentialSubject.id", CredentialPayload::subjectId);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Check check(CredentialPayload credential) {
        String value = expected.apply(credential);
        JsonNode node = credential.claim(claim);
        if (name.equals(Check.SUB) && value == null) {
            return node == null
                    ? Check.passed(name, "no sub: the subject has no id and is identified by its identifiers")
                    : Check.failed(name, "the sub claim " + node + " names a subject, but credentialSubject has no id to match");
        }
        if (node == null) {
            return Check.failed(name, "the " + claim + " claim is missing; OB 3.0 §8.2.6.1 requires it to equal " + property);
        }
        if (!node.isTextual()) {
            return Check.failed(name, "the " + claim + " claim must be a string, was " + node);
        }
        if (value == null) {
            return Check.failed(name, "the " + claim + " claim is " + quote(node.asText()) + " but the credential has no "
                    + property + " to match");
        }
        if (!value.equals(node.asText())) {
            return Check.failed(name, "the " + claim + " claim " + quote(node.asText()) + " does not match " + property
                    + " " + quote(value));
        }
        return Check.passed(name, claim + " matches " + property + " " + quote(value));
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }
}
