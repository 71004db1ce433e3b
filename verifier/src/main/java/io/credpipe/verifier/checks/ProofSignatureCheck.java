package io.credpipe.verifier.checks;

import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.Check;
import java.security.PublicKey;
import java.util.Objects;

/**
 * {@link Check#SIGNATURE} of a credential with an embedded proof: the {@code eddsa-rdfc-2022}
 * proof verifies (Data Integrity EdDSA Cryptosuites v1.0 §3.3.2) with the key its verification
 * method names: the Ed25519 signature covers the RDFC-1.0 canonical form of the credential and of
 * the proof's configuration, so any changed value, anywhere, fails it. Contexts are the bundled ones
 * only; a credential using another context cannot be checked and fails.
 */
public final class ProofSignatureCheck implements CredentialCheck<ProofSignatureCheck.Subject> {

    /**
     * What is judged.
     *
     * @param secured            the credential and its proof
     * @param key                the verification method's public key
     * @param verificationMethod its id, for the report
     */
    public record Subject(EddsaRdfc2022.Secured secured, PublicKey key, String verificationMethod) {}

    private final EddsaRdfc2022 suite;

    public ProofSignatureCheck(EddsaRdfc2022 suite) {
        this.suite = Objects.requireNonNull(suite, "suite");
    }

    @Override
    public String name() {
        return Check.SIGNATURE;
    }

    @Override
    public Check check(Subject subject) {
        boolean valid;
        try {
            valid = suite.verify(subject.secured(), subject.key());
        } catch (IllegalArgumentException e) {
            return Check.failed(name(), "the proof cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            return Check.failed(name(), "the Data Integrity proof does not match the credential: "
                    + "the credential was altered or not signed with key \"" + subject.verificationMethod() + "\"");
        }
        return Check.passed(name(), EddsaRdfc2022.CRYPTOSUITE + " proof verifies with key \"" + subject.verificationMethod() + "\"");
    }
}
