package io.credpipe.model.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code eddsa-rdfc-2022} cryptosuite of W3C Data Integrity EdDSA Cryptosuites v1.0 §3.3: a
 * {@code DataIntegrityProof} whose {@code proofValue} is the Ed25519 signature of
 * SHA-256(canonical proof configuration) ‖ SHA-256(canonical document), both canonicalized with
 * RDFC-1.0 (see {@link RdfCanonicalForm}).
 *
 * <p>Only the algorithms live here; which key signs belongs to the issuer and which keys are trusted
 * to the verifier. Instances are thread-safe.
 */
public final class EddsaRdfc2022 {

    /** The proof type. */
    public static final String PROOF_TYPE = "DataIntegrityProof";
    /** The cryptosuite identifier. */
    public static final String CRYPTOSUITE = "eddsa-rdfc-2022";
    /** The proof purpose of a credential's proof: the issuer asserts it. */
    public static final String ASSERTION_METHOD = "assertionMethod";

    /** XML Schema 1.1 dateTime (VC Data Integrity §2.1 {@code created}), time zone optional. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");

    private final RdfCanonicalForm canonical;

    /** The cryptosuite with {@code contexts} as its only source of JSON-LD contexts. */
    public EddsaRdfc2022(BundledContexts contexts) {
        this.canonical = new RdfCanonicalForm(contexts);
    }

    /**
     * What is hashed and signed, with every intermediate (for tests against the W3C vectors and for
     * measuring where the time goes).
     *
     * @param canonicalProofConfig the proof configuration as canonical N-Quads (§3.3.5)
     * @param canonicalDocument    the unsecured document as canonical N-Quads (§3.3.3)
     * @param proofConfigHash      SHA-256 of the former
     * @param documentHash         SHA-256 of the latter
     */
    public record HashData(String canonicalProofConfig, String canonicalDocument, byte[] proofConfigHash,
            byte[] documentHash) {

        /** §3.3.4: the proof configuration's hash followed by the document's, 64 bytes. */
        public byte[] bytes() {
            byte[] out = new byte[proofConfigHash.length + documentHash.length];
            System.arraycopy(proofConfigHash, 0, out, 0, proofConfigHash.length);
            System.arraycopy(documentHash, 0, out, proofConfigHash.length, documentHash.length);
            return out;
        }
    }

    /**
     * Proof options for an assertion by {@code verificationMethod} at {@code created} (whole seconds,
     * UTC, as an XML Schema dateTime).
     */
    public static ObjectNode proofOptions(String verificationMethod, Instant created) {
        ObjectNode proof = JsonNodeFactory.instance.objectNode();
        proof.put("type", PROOF_TYPE);
        proof.put("cryptosuite", CRYPTOSUITE);
        proof.put("created", DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)));
        proof.put("verificationMethod", Objects.requireNonNull(verificationMethod, "verificationMethod"));
        proof.put("proofPurpose", ASSERTION_METHOD);
        return proof;
    }

    /**
     * §3.3.3–3.3.5: the hash data of {@code unsecuredDocument} under {@code proofOptions}.
     *
     * @throws IllegalArgumentException when the options are not an eddsa-rdfc-2022 proof's, or either
     *     part cannot be canonicalized
     */
    public HashData hashData(JsonNode unsecuredDocument, ObjectNode proofOptions) {
        ObjectNode proofConfig = proofOptions.deepCopy();
        proofConfig.remove("proofValue");
        if (!PROOF_TYPE.equals(proofConfig.path("type").asText(null))
                || !CRYPTOSUITE.equals(proofConfig.path("cryptosuite").asText(null))) {
            throw new IllegalArgumentException("not a DataIntegrityProof with cryptosuite " + CRYPTOSUITE);
        }
        JsonNode created = proofConfig.get("created");
        if (created != null && (!created.isTextual() || !DATE_TIME.matcher(created.asText()).matches())) {
            throw new IllegalArgumentException("the proof's created is not an XML Schema dateTime");
        }
        proofConfig.set("@context", unsecuredDocument.get("@context"));
        String canonicalProofConfig = canonical.of(proofConfig);
        String canonicalDocument = canonical.of(unsecuredDocument);
        return new HashData(canonicalProofConfig, canonicalDocument, sha256(canonicalProofConfig), sha256(canonicalDocument));
    }

    /**
     * §3.3.1 "Create Proof": {@code unsecuredDocument} with a {@code proof} by {@code privateKey}, named
     * {@code verificationMethod}, made at {@code created}.
     */
    public ObjectNode sign(ObjectNode unsecuredDocument, String verificationMethod, Instant created, PrivateKey privateKey) {
        return sign(unsecuredDocument, proofOptions(verificationMethod, created), privateKey);
    }

    /**
     * §3.3.1 with any proof options, e.g. an {@code authentication} proof with a {@code challenge}
     * and {@code domain}, as a holder's DID Authentication carries.
     */
    public ObjectNode sign(ObjectNode unsecuredDocument, ObjectNode proofOptions, PrivateKey privateKey) {
        if (unsecuredDocument.has("proof")) {
            throw new IllegalArgumentException("the document already carries a proof");
        }
        ObjectNode proof = proofOptions.deepCopy();
        byte[] signature = Ed25519Multikey.sign(privateKey, hashData(unsecuredDocument, proof).bytes());
        proof.put("proofValue", Base58Btc.multibase(signature));
        ObjectNode secured = unsecuredDocument.deepCopy();
        secured.set("proof", proof);
        return secured;
    }

    /**
     * The document without its {@code proof} and the proof, when {@code securedDocument} carries
     * exactly one proof object.
     *
     * @throws IllegalArgumentException when it carries none, several, or one that is not an object
     */
    public static Secured split(JsonNode securedDocument) {
        if (securedDocument == null || !securedDocument.isObject()) {
            throw new IllegalArgumentException("the document is not a JSON object");
        }
        JsonNode proof = securedDocument.get("proof");
        if (proof instanceof ArrayNode array && array.size() == 1) {
            proof = array.get(0);
        }
        if (proof == null || !proof.isObject()) {
            throw new IllegalArgumentException(proof == null ? "the document carries no proof"
                    : "the document carries " + (proof.isArray() ? "a proof set; one proof is expected" : "a proof that is not an object"));
        }
        ObjectNode unsecured = ((ObjectNode) securedDocument).deepCopy();
        unsecured.remove("proof");
        return new Secured(unsecured, (ObjectNode) proof);
    }

    /**
     * A secured document taken apart.
     *
     * @param unsecured the document without {@code proof}
     * @param proof     its proof, {@code proofValue} included
     */
    public record Secured(ObjectNode unsecured, ObjectNode proof) {}

    /**
     * §3.3.2 "Verify Proof" of a proof {@link #split} from its document, with {@code publicKey}.
     *
     * @return whether the signature is {@code publicKey}'s over this document and proof configuration
     * @throws IllegalArgumentException when the proof is malformed or a part cannot be canonicalized,
     *     saying why
     */
    public boolean verify(Secured secured, PublicKey publicKey) {
        ObjectNode options = secured.proof().deepCopy();
        JsonNode proofValue = options.remove("proofValue");
        if (proofValue == null || !proofValue.isTextual()) {
            throw new IllegalArgumentException("the proof has no proofValue");
        }
        byte[] signature = Base58Btc.decodeMultibase(proofValue.asText());
        ObjectNode unsecured = secured.unsecured();
        JsonNode proofContext = options.remove("@context");
        if (proofContext != null) {
            // §3.3.2 step 4: the document's @context must start with the proof's, in order.
            if (!startsWith(unsecured.get("@context"), proofContext)) {
                throw new IllegalArgumentException("the proof's @context is not the start of the document's");
            }
            unsecured = unsecured.deepCopy();
            unsecured.set("@context", proofContext);
        }
        if (signature.length != 64) {
            return false;
        }
        return Ed25519Multikey.verify(publicKey, hashData(unsecured, options).bytes(), signature);
    }

    private static boolean startsWith(JsonNode documentContext, JsonNode proofContext) {
        ArrayNode document = asArray(documentContext);
        ArrayNode proof = asArray(proofContext);
        if (proof.size() > document.size()) {
            return false;
        }
        for (int i = 0; i < proof.size(); i++) {
            if (!proof.get(i).equals(document.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static ArrayNode asArray(JsonNode node) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        if (node instanceof ArrayNode given) {
            array.addAll(given);
        } else if (node != null) {
            array.add(node);
        }
        return array;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
