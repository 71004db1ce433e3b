package io.credpipe.model.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The held-in interoperability test: the W3C Data Integrity EdDSA Cryptosuites v1.0 test vectors for
 * {@code eddsa-rdfc-2022} (w3c/vc-di-eddsa {@code TestVectors/}, copied as test data under the W3C
 * licence, see {@code vectors/SOURCES.md}) reproduced byte for byte from the unsigned credential and
 * the key pair: both canonical forms, both hashes, the hash data, the signature and the signed
 * credential. The vectors were made by an independent implementation, so agreeing with every
 * intermediate shows ours canonicalizes, hashes and signs the way other verifiers check.
 */
class EddsaRdfc2022VectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2";

    private final EddsaRdfc2022 suite = new EddsaRdfc2022(
            BundledContexts.with(Map.of(EXAMPLES_CONTEXT, text("credentials-examples-v2.jsonld"))));
    private final JsonNode keyPair = json("keyPair.json");
    private final ObjectNode unsigned = (ObjectNode) json("unsigned.json");
    private final ObjectNode proofConfig = (ObjectNode) json("proofConfigDataInt.json");

    @Test
    void canonicalDocumentIsTheVectorsByteForByte() {
        assertThat(suite.hashData(unsigned, options()).canonicalDocument()).isEqualTo(text("canonDocDataInt.txt"));
    }

    @Test
    void canonicalProofConfigurationIsTheVectorsByteForByte() {
        assertThat(suite.hashData(unsigned, options()).canonicalProofConfig()).isEqualTo(text("proofCanonDataInt.txt"));
    }

    @Test
    void hashesAreTheVectors() {
        EddsaRdfc2022.HashData hash = suite.hashData(unsigned, options());
        assertThat(HexFormat.of().formatHex(hash.documentHash())).isEqualTo(text("docHashDataInt.txt").strip());
        assertThat(HexFormat.of().formatHex(hash.proofConfigHash())).isEqualTo(text("proofHashDataInt.txt").strip());
        assertThat(HexFormat.of().formatHex(hash.bytes())).isEqualTo(text("combinedHashDataInt.txt").strip());
    }

    @Test
    void signatureIsTheVectorsInHexAndBase58() {
        byte[] signature = Ed25519Multikey.sign(privateKey(), suite.hashData(unsigned, options()).bytes());
        assertThat(HexFormat.of().formatHex(signature)).isEqualTo(text("sigHexDataInt.txt").strip());
        assertThat(Base58Btc.multibase(signature)).isEqualTo(text("sigBTC58DataInt.txt").strip());
    }

    @Test
    void signedCredentialIsTheVectors() {
        ObjectNode signed = suite.sign(unsigned, proofConfig.get("verificationMethod").asText(),
                Instant.parse(proofConfig.get("created").asText()), privateKey());
        assertThat(signed).isEqualTo(json("signedDataInt.json"));
    }

    @Test
    void theVectorsSignedCredentialVerifiesWithTheDidKeysPublicKey() {
        String method = proofConfig.get("verificationMethod").asText();
        String multibase = method.substring(method.indexOf('#') + 1);
        assertThat(multibase).isEqualTo(keyPair.get("publicKeyMultibase").asText());
        PublicKey key = Ed25519Multikey.publicKey(multibase);
        assertThat(Ed25519Multikey.publicKeyMultibase(key)).isEqualTo(multibase);
        assertThat(suite.verify(EddsaRdfc2022.split(json("signedDataInt.json")), key)).isTrue();
    }

    @Test
    void theVectorsSignedCredentialFailsWhenAValueChanges() {
        ObjectNode tampered = (ObjectNode) json("signedDataInt.json");
        ((ObjectNode) tampered.get("credentialSubject")).put("alumniOf", "The School of Counterfeits");
        PublicKey key = Ed25519Multikey.publicKey(keyPair.get("publicKeyMultibase").asText());
        assertThat(suite.verify(EddsaRdfc2022.split(tampered), key)).isFalse();
    }

    private ObjectNode options() {
        ObjectNode options = proofConfig.deepCopy();
        options.remove("@context");
        return options;
    }

    private PrivateKey privateKey() {
        // The vectors name it privateKeyMultibase; Controlled Identifiers v1.0 calls it secretKeyMultibase.
        return Ed25519Multikey.privateKey(keyPair.get("privateKeyMultibase").asText());
    }

    private static JsonNode json(String file) {
        try {
            return JSON.readTree(text(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String text(String file) {
        try (InputStream in = EddsaRdfc2022VectorsTest.class.getResourceAsStream("vectors/" + file)) {
            if (in == null) {
                throw new AssertionError("missing test resource vectors/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
