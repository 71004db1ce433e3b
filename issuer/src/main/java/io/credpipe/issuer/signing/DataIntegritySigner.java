package io.credpipe.issuer.signing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.EddsaRdfc2022;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Objects;

/**
 * Secures a stored credential the second way: the same JSON as its JWT's payload (same {@code id},
 * same {@code credentialStatus} entry), with an embedded {@code DataIntegrityProof},
 * {@code eddsa-rdfc-2022}, by the issuer's active Ed25519 key, for wallets that read only JSON-LD
 * credentials (the Learner Credential Wallet, VerifierPlus). The proof is made on request, so each
 * request gets a fresh {@code created} and a proof that verifies on its own; nothing is stored.
 */
public final class DataIntegritySigner {

    private final EddsaRdfc2022 suite;
    private final PrivateKey key;
    private final String verificationMethod;
    private final Clock clock;

    DataIntegritySigner(EddsaRdfc2022 suite, PrivateKey key, String verificationMethod, Clock clock) {
        this.suite = Objects.requireNonNull(suite, "suite");
        this.key = Objects.requireNonNull(key, "key");
        this.verificationMethod = Objects.requireNonNull(verificationMethod, "verificationMethod");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A suite over the bundled contexts, for signers that share one (it caches parsed contexts). */
    public static EddsaRdfc2022 suite() {
        return new EddsaRdfc2022(BundledContexts.standard());
    }

    /** The verification method its proofs name: {@code did:web:…#z6Mk…}. */
    public String verificationMethod() {
        return verificationMethod;
    }

    /** {@code issued}'s credential with a Data Integrity proof made now. */
    public ObjectNode secure(IssuedCredential issued) {
        return secure(CredentialSigner.signedDocument(issued.jwt()));
    }

    /** {@code credential} (without a proof) with a Data Integrity proof made now. */
    public ObjectNode secure(ObjectNode credential) {
        return suite.sign(credential, verificationMethod, clock.instant(), key);
    }
}
