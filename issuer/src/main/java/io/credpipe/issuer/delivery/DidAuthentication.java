package io.credpipe.issuer.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.Ed25519Signature2020;
import io.credpipe.model.integrity.EddsaRdfc2022;
import java.security.PublicKey;
import java.util.Objects;

/**
 * Checks a holder's DID Authentication (W3C CCG Verifiable Presentation Request v0.3 §3
 * "DID Authentication"): a {@code VerifiablePresentation} whose {@code holder} is a DID, with a
 * {@code DataIntegrityProof} ({@code eddsa-rdfc-2022}), or an {@code Ed25519Signature2020}, for
 * {@code authentication} by a key of that DID over the exchange's {@code challenge} (and our
 * {@code domain}, when it names one). The Learner Credential Wallet (2.1.2, the newest release its
 * repository shows) signs with {@code Ed25519Signature2020} (its {@code present.ts} and
 * {@code didAuthRequest.ts}, through {@code @digitalcredentials/vc} and
 * {@code @digitalcredentials/ed25519-signature-2020}), with no {@code domain} on the deep-link path. Only
 * {@code did:key} holders are resolved (the key is the identifier, so nothing is fetched); the
 * Learner Credential Wallet's holder DIDs are {@code did:key}s.
 */
public final class DidAuthentication {

    /**
     * The outcome: the authenticated holder DID, or why there is none.
     *
     * @param holder  the DID, {@code null} on failure
     * @param failure why the presentation does not authenticate, {@code null} on success
     */
    public record Result(String holder, String failure) {
        static Result failed(String failure) {
            return new Result(null, failure);
        }

        public boolean authenticated() {
            return holder != null;
        }
    }

    private final EddsaRdfc2022 suite;
    private final Ed25519Signature2020 signature2020Suite;

    /** Checks both suites with the bundled contexts. */
    public DidAuthentication(EddsaRdfc2022 suite) {
        this(suite, new Ed25519Signature2020(BundledContexts.standard()));
    }

    public DidAuthentication(EddsaRdfc2022 suite, Ed25519Signature2020 signature2020Suite) {
        this.suite = Objects.requireNonNull(suite, "suite");
        this.signature2020Suite = Objects.requireNonNull(signature2020Suite, "signature2020Suite");
    }

    /** Whether {@code presentation} authenticates its holder for {@code challenge} and {@code domain}. */
    public Result check(JsonNode presentation, String challenge, String domain) {
        if (presentation == null || !presentation.isObject()) {
            return Result.failed("the DID Authentication is not a JSON object");
        }
        if (!presentation.path("type").toString().contains("\"VerifiablePresentation\"")) {
            return Result.failed("the DID Authentication is not a VerifiablePresentation");
        }
        String holder = presentation.path("holder").asText("");
        if (!holder.startsWith("did:key:z6Mk")) {
            return Result.failed("the holder must be an Ed25519 did:key (did:key:z6Mk…), was \"" + holder + "\"");
        }
        EddsaRdfc2022.Secured secured;
        try {
            secured = EddsaRdfc2022.split(presentation);
        } catch (IllegalArgumentException e) {
            return Result.failed(e.getMessage());
        }
        ObjectNode proof = secured.proof();
        boolean dataIntegrity = EddsaRdfc2022.PROOF_TYPE.equals(proof.path("type").asText())
                && EddsaRdfc2022.CRYPTOSUITE.equals(proof.path("cryptosuite").asText());
        boolean signature2020 = Ed25519Signature2020.PROOF_TYPE.equals(proof.path("type").asText()) && !proof.has("cryptosuite");
        if (!dataIntegrity && !signature2020) {
            return Result.failed("the proof must be a DataIntegrityProof with cryptosuite eddsa-rdfc-2022, or an "
                    + "Ed25519Signature2020, was " + proof.path("type").asText() + " " + proof.path("cryptosuite").asText(""));
        }
        if (!"authentication".equals(proof.path("proofPurpose").asText())) {
            return Result.failed("the proof's purpose must be authentication");
        }
        if (!challenge.equals(proof.path("challenge").asText())) {
            return Result.failed("the proof's challenge is not this exchange's");
        }
        if (proof.has("domain") && !domain.equals(proof.path("domain").asText())) {
            return Result.failed("the proof's domain is not " + domain);
        }
        String multibase = holder.substring("did:key:".length());
        if (!proof.path("verificationMethod").asText().equals(holder + "#" + multibase)) {
            return Result.failed("the proof's verificationMethod is not the holder's did:key");
        }
        PublicKey key;
        try {
            key = Ed25519Multikey.publicKey(multibase);
        } catch (IllegalArgumentException e) {
            return Result.failed("the holder's did:key is not an Ed25519 key");
        }
        try {
            boolean verified = dataIntegrity ? suite.verify(secured, key) : signature2020Suite.verify(secured, key);
            return verified ? new Result(holder, null)
                    : Result.failed("the proof does not verify with the holder's key");
        } catch (IllegalArgumentException e) {
            return Result.failed("the presentation cannot be checked: " + e.getMessage());
        }
    }
}
