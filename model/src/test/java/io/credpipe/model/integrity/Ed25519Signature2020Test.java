package io.credpipe.model.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Held-out interoperability: {@code lcw-did-authentication.json} is a DID Authentication made by the
 * Learner Credential Wallet's own libraries ({@code @digitalcredentials/vc} 9,
 * {@code ed25519-signature-2020} 6, {@code did-method-key} 2, as {@code src/test/node/lcw-holder} pins
 * them), the way its {@code present.ts} signs one, with a did:key from a fixed seed; credpipe's
 * verifier of that suite must accept it byte for byte and refuse any change.
 */
class Ed25519Signature2020Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Ed25519Signature2020 suite = new Ed25519Signature2020(BundledContexts.standard());

    private static ObjectNode presentation() throws Exception {
        try (InputStream in = Ed25519Signature2020Test.class.getResourceAsStream("lcw-did-authentication.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private boolean verifies(ObjectNode presentation) {
        String holder = presentation.path("holder").asText();
        return suite.verify(EddsaRdfc2022.split(presentation), Ed25519Multikey.publicKey(holder.substring("did:key:".length())));
    }

    @Test
    void theWalletsDidAuthenticationVerifies() throws Exception {
        assertThat(verifies(presentation())).isTrue();
    }

    @Test
    void anyChangeToTheDocumentOrTheProofOptionsBreaksIt() throws Exception {
        ObjectNode challenge = presentation();
        ((ObjectNode) challenge.get("proof")).put("challenge", "another-exchange");
        assertThat(verifies(challenge)).isFalse();

        ObjectNode created = presentation();
        ((ObjectNode) created.get("proof")).put("created", "2026-05-21T08:00:01Z");
        assertThat(verifies(created)).isFalse();

        ObjectNode document = presentation();
        document.put("id", "urn:uuid:8d3f5c2e-1b0a-4c7e-9f6d-2a4b6c8e0f13");
        assertThat(verifies(document)).isFalse();
    }
}
