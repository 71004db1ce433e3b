package io.credpipe.verifier;

import static io.credpipe.verifier.TestIssuer.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.sun.net.httpserver.HttpServer;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.status.CredentialStatusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials secured with an embedded {@code eddsa-rdfc-2022} Data Integrity proof, verified the
 * way an employer meets them: the key found through the issuer's {@code did:web} document, served
 * over (local, allowed) HTTP, the status list read with the issuer's JWT key from the same document.
 */
class DataIntegrityVerificationTest {

    private static final TestIssuer JWT_ISSUER = new TestIssuer();
    private static final EddsaRdfc2022 SUITE = new EddsaRdfc2022(BundledContexts.standard());
    private static final int INDEX = 4_242;

    private HttpServer server;
    private String did;
    private String issuerId;
    private String listUrl;
    private final List<KeyPair> published = new ArrayList<>();
    private final Map<Integer, Integer> revoked = new HashMap<>();
    private CredentialVerifier verifier;

    @BeforeEach
    void issuerOnTheWeb() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/did.json", exchange -> {
            byte[] body = didDocument().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/did+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        did = "did:web:127.0.0.1%3A" + port;
        issuerId = "http://127.0.0.1:" + port + "/issuer";
        listUrl = "http://127.0.0.1:" + port + "/v1/status/0-0";
        published.add(newKey());
        verifier = CredentialVerifier.builder().allowHttpHost("127.0.0.1").clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .statusLists(url -> JWT_ISSUER.es256WithKid(CredentialStatusTest.listPayload(CredentialStatusTest.listCredential(
                        listUrl, issuerId, "revocation", CredentialStatusTest.encodedList(131_072, 1, revoked))), did + "#es256"))
                .resolveDids(true)
                .build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSignedCredentialVerifiesWithTheKeyTheIssuersDidWebDocumentPublishes() {
        VerificationReport report = verifier.verifyText(signed(published.get(0), credential()).toString());

        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(report.check(Check.VERIFICATION_METHOD).orElseThrow().detail()).contains(did);
        assertThat(report.check(Check.SIGNATURE).orElseThrow().detail()).contains("eddsa-rdfc-2022 proof verifies");
        assertThat(report.check(Check.STATUS).orElseThrow().outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(report.check(Check.ISS)).isEmpty();
        assertThat(report.summary().orElseThrow().credentialId()).isEqualTo(credential().get("id").asText());
    }

    @Test
    void eachRequestsFreshProofVerifies() {
        ObjectNode first = signed(published.get(0), credential());
        ObjectNode second = SUITE.sign(credential(), method(published.get(0)), NOW.minusSeconds(5), published.get(0).getPrivate());

        assertThat(first.get("proof")).isNotEqualTo(second.get("proof"));
        assertThat(verifier.verifyText(first.toString()).verified()).isTrue();
        assertThat(verifier.verifyText(second.toString()).verified()).isTrue();
    }

    @Test
    void changingAnyOneValueAnywhereFailsTheCredential() {
        ObjectNode secured = signed(published.get(0), credential());
        List<String> pointers = new ArrayList<>();
        leaves(secured, "", pointers);
        assertThat(pointers).hasSizeGreaterThan(30);
        for (String pointer : pointers) {
            if (pointer.equals("/proof/proofValue")) {
                continue;
            }
            ObjectNode tampered = secured.deepCopy();
            change(tampered, pointer);
            VerificationReport report = verifier.verifyText(tampered.toString());
            assertThat(report.verified()).as("changed " + pointer + ": " + report.describe()).isFalse();
        }
    }

    @Test
    void aChangedStatementTextFailsTheSignatureItself() {
        ObjectNode tampered = signed(published.get(0), credential());
        ((ObjectNode) tampered.at("/credentialSubject/achievement/criteria")).put("narrative", "Did nothing at all.");

        VerificationReport report = verifier.verifyText(tampered.toString());

        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.FAILED);
        assertThat(report.summary()).isEmpty();
    }

    @Test
    void aProofByAnotherKeyThanItsVerificationMethodNamesFails() {
        KeyPair other = newKey();
        ObjectNode forged = SUITE.sign(credential(), method(published.get(0)), NOW, other.getPrivate());

        VerificationReport report = verifier.verifyText(forged.toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.FAILED);
    }

    @Test
    void aKeyTheDidDocumentDoesNotListIsRefused() {
        KeyPair unlisted = newKey();

        VerificationReport report = verifier.verifyText(signed(unlisted, credential()).toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.VERIFICATION_METHOD).orElseThrow().detail()).contains("has no verification method");
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.SKIPPED);
    }

    @Test
    void afterRotationOldProofsStillVerifyWhileTheOldKeyStaysPublished() {
        KeyPair old = published.get(0);
        ObjectNode before = signed(old, credential());
        published.add(0, newKey());
        ObjectNode after = signed(published.get(0), credential());

        assertThat(verifier.verifyText(before.toString()).verified()).isTrue();
        assertThat(verifier.verifyText(after.toString()).verified()).isTrue();
        published.remove(old);
        assertThat(verifier.verifyText(before.toString()).check(Check.VERIFICATION_METHOD).orElseThrow().isFailed()).isTrue();
    }

    @Test
    void aKeyOfAnotherIssuerDoesNotVouchForThisOne() {
        ObjectNode credential = credential();
        ((ObjectNode) credential.get("issuer")).put("id", "https://university.example/issuer");

        VerificationReport report = verifier.verifyText(signed(published.get(0), credential).toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.VERIFICATION_METHOD).orElseThrow().detail()).contains("not the credential's issuer");
    }

    @Test
    void aRevokedCredentialFailsItsStatusAsAJwtWould() {
        revoked.put(INDEX, 1);

        VerificationReport report = verifier.verifyText(signed(published.get(0), credential()).toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.SIGNATURE).orElseThrow().outcome()).isEqualTo(Check.Outcome.PASSED);
        assertThat(report.check(Check.STATUS).orElseThrow().outcome()).isEqualTo(Check.Outcome.FAILED);
    }

    @Test
    void anUnreachableDidDocumentIsCannotTellNotForged() {
        server.stop(0);

        VerificationReport report = verifier.verifyText(signed(published.get(0), credential()).toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.VERIFICATION_METHOD).orElseThrow().isCannotTell()).isTrue();
    }

    @Test
    void aDidKeyIssuerVerifiesWithTheKeyItsIdentifierIs() {
        KeyPair key = newKey();
        String didKey = "did:key:" + Ed25519Multikey.publicKeyMultibase(key.getPublic());
        ObjectNode credential = credential();
        credential.remove("credentialStatus");
        ((ObjectNode) credential.get("issuer")).put("id", didKey);

        ObjectNode secured = SUITE.sign(credential, didKey + "#" + didKey.substring("did:key:".length()), NOW, key.getPrivate());
        VerificationReport report = verifier.verifyText(secured.toString());

        assertThat(report.verified()).as(report.describe()).isTrue();
    }

    @Test
    void aCredentialWithAContextThatIsNotBundledCannotBeCheckedAndFails() {
        ObjectNode credential = credential();
        ((ArrayNode) credential.get("@context")).add("https://example.org/unknown-context.jsonld");
        ObjectNode secured = credential.deepCopy();
        ObjectNode proof = EddsaRdfc2022.proofOptions(method(published.get(0)), NOW);
        proof.put("proofValue", "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx");
        secured.set("proof", proof);

        VerificationReport report = verifier.verifyText(secured.toString());

        assertThat(report.verified()).isFalse();
        assertThat(report.check(Check.SIGNATURE).orElseThrow().detail()).contains("not processable as JSON-LD with the bundled contexts");
    }

    @Test
    void aLearnerRecordBundlingDataIntegrityCredentialsVerifiesTheirOwnProofsToo() {
        CredentialVerifier records = CredentialVerifier.builder().trustedKeys(JWT_ISSUER.publicKeys()).allowHttpHost("127.0.0.1")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .statusLists(url -> JWT_ISSUER.es256(CredentialStatusTest.listPayload(CredentialStatusTest.listCredential(
                        listUrl, issuerId, "revocation", CredentialStatusTest.encodedList(131_072, 1, revoked)))))
                .build();
        ObjectNode secured = signed(published.get(0), credential());
        ObjectNode tampered = secured.deepCopy();
        tampered.put("name", "Chemical Plant and System Operators — Advanced");

        VerificationReport good = records.verify(JWT_ISSUER.es256(TestIssuer.payload(learnerRecord(secured))));
        VerificationReport bad = records.verify(JWT_ISSUER.es256(TestIssuer.payload(learnerRecord(tampered))));

        assertThat(good.verified()).as(good.describe()).isTrue();
        assertThat(bad.verified()).isFalse();
        assertThat(bad.check(Check.BUNDLED_CREDENTIALS).orElseThrow().detail()).contains("embedded proof that does not verify");
    }

    // ---- fixtures ----

    private ObjectNode learnerRecord(ObjectNode credential) {
        ObjectNode record = TestIssuer.JSON.createObjectNode();
        record.putArray("@context").add("https://www.w3.org/ns/credentials/v2")
                .add("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json")
                .add("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
        record.put("id", "urn:uuid:00000000-0000-5000-8000-0000000000c1");
        record.putArray("type").add("VerifiableCredential").add("ClrCredential");
        record.put("name", "Comprehensive Learner Record");
        record.putObject("issuer").put("id", issuerId).put("name", "Example Plant Training Center").putArray("type").add("Profile");
        record.put("validFrom", "2026-05-31T00:00:00Z");
        ObjectNode subject = record.putObject("credentialSubject");
        subject.put("id", credential.at("/credentialSubject/id").asText());
        subject.putArray("type").add("ClrSubject");
        subject.putArray("verifiableCredential").add(credential);
        return record;
    }

    private ObjectNode credential() {
        ObjectNode credential = TestIssuer.credential();
        ((ObjectNode) credential.get("issuer")).put("id", issuerId);
        credential.set("credentialStatus", bitEntry());
        return credential;
    }

    private ObjectNode bitEntry() {
        ObjectNode entry = TestIssuer.JSON.createObjectNode();
        entry.put("id", listUrl + "#" + INDEX);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", "revocation");
        entry.put("statusListIndex", Integer.toString(INDEX));
        entry.put("statusListCredential", listUrl);
        return entry;
    }

    private ObjectNode signed(KeyPair key, ObjectNode credential) {
        return SUITE.sign(credential, method(key), NOW, key.getPrivate());
    }

    private String method(KeyPair key) {
        return did + "#" + Ed25519Multikey.publicKeyMultibase(key.getPublic());
    }

    private ObjectNode didDocument() {
        ObjectNode document = TestIssuer.JSON.createObjectNode();
        document.putArray("@context").add("https://www.w3.org/ns/did/v1").add("https://w3id.org/security/multikey/v1");
        document.put("id", did);
        ArrayNode methods = document.putArray("verificationMethod");
        ArrayNode assertion = document.putArray("assertionMethod");
        ObjectNode jwk = methods.addObject();
        jwk.put("id", did + "#es256").put("type", "JsonWebKey2020").put("controller", did);
        jwk.set("publicKeyJwk", TestIssuer.JSON.valueToTree(JWT_ISSUER.ecKey.toPublicJWK().toJSONObject()));
        assertion.add(did + "#es256");
        for (KeyPair key : published) {
            methods.addObject().put("id", method(key)).put("type", "Multikey").put("controller", did)
                    .put("publicKeyMultibase", Ed25519Multikey.publicKeyMultibase(key.getPublic()));
            assertion.add(method(key));
        }
        return document;
    }

    private static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static void leaves(JsonNode node, String pointer, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> leaves(field.getValue(), pointer + "/" + field.getKey()
                    .replace("~", "~0").replace("/", "~1"), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), pointer + "/" + i, out);
            }
        } else {
            out.add(pointer);
        }
    }

    /** Replaces the leaf at {@code pointer} by another value of the same kind. */
    private static void change(ObjectNode root, String pointer) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        JsonNode leaf = root.at(pointer);
        JsonNode changed = leaf.isBoolean() ? TestIssuer.JSON.getNodeFactory().booleanNode(!leaf.asBoolean())
                : leaf.isNumber() ? TestIssuer.JSON.getNodeFactory().numberNode(leaf.asLong() + 1)
                : new TextNode(alter(leaf.asText()));
        if (parent instanceof ObjectNode object) {
            object.set(last, changed);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), changed);
        }
    }

    /** One character changed, keeping URLs, dates and numbers of their kind. */
    private static String alter(String text) {
        if (text.isEmpty()) {
            return "x";
        }
        char c = text.charAt(text.length() - 1);
        char other = Character.isDigit(c) ? (c == '9' ? '8' : (char) (c + 1)) : (c == 'a' ? 'b' : 'a');
        return text.substring(0, text.length() - 1) + other;
    }
}
