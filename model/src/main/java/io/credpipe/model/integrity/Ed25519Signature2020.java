package io.credpipe.model.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;

/**
 * Verification of the W3C CCG {@code Ed25519Signature2020} Linked Data proof
 * (https://w3c-ccg.github.io/di-eddsa-2020/, §3 "Algorithms"), the suite with which the Learner
 * Credential Wallet signs its holder's DID Authentication. It is the predecessor of
 * {@code eddsa-rdfc-2022} and hashes the same way: SHA-256 of the canonical proof options (the proof
 * without {@code proofValue}, under the document's {@code @context}) followed by SHA-256 of the
 * canonical document, both URDNA2015, which RDFC-1.0 standardised unchanged for these inputs; the
 * {@code proofValue} is the multibase base58btc Ed25519 signature of those 64 bytes. Canonicalization
 * is titanium-rdfc's, through {@link RdfCanonicalForm}, with the bundled contexts only (the suite's
 * own context, {@link BundledContexts#ED25519_2020}, included).
 *
 * <p>Only verification: credpipe never signs with this suite. Instances are thread-safe.
 */
public final class Ed25519Signature2020 {

    /** The proof type. */
    public static final String PROOF_TYPE = "Ed25519Signature2020";

    private final RdfCanonicalForm canonical;

    /** The suite with {@code contexts} as its only source of JSON-LD contexts. */
    public Ed25519Signature2020(BundledContexts contexts) {
        this.canonical = new RdfCanonicalForm(contexts);
    }

    /**
     * Whether {@code secured}'s proof (an {@code Ed25519Signature2020}) is {@code publicKey}'s signature
     * over its document and proof options.
     *
     * @throws IllegalArgumentException when the proof is malformed or a part cannot be canonicalized
     */
    public boolean verify(EddsaRdfc2022.Secured secured, PublicKey publicKey) {
        ObjectNode options = secured.proof().deepCopy();
        if (!PROOF_TYPE.equals(options.path("type").asText())) {
            throw new IllegalArgumentException("not an " + PROOF_TYPE + " proof");
        }
        JsonNode proofValue = options.remove("proofValue");
        if (proofValue == null || !proofValue.isTextual()) {
            throw new IllegalArgumentException("the proof has no proofValue");
        }
        byte[] signature = Base58Btc.decodeMultibase(proofValue.asText());
        if (signature.length != 64) {
            return false;
        }
        // The suite's canonizeProof: the proof options take the document's @context unless the proof
        // names its own (jsonld-signatures spreads the proof over {"@context": document's}).
        if (!options.has("@context")) {
            options.set("@context", secured.unsecured().get("@context"));
        }
        byte[] proofHash = sha256(canonical.of(options));
        byte[] documentHash = sha256(canonical.of(secured.unsecured()));
        byte[] data = new byte[64];
        System.arraycopy(proofHash, 0, data, 0, 32);
        System.arraycopy(documentHash, 0, data, 32, 32);
        return Ed25519Multikey.verify(publicKey, data, signature);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
