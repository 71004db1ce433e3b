package io.credpipe.verifier.fuzz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.status.CredentialStatusTest;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Map;

/**
 * The genuine material mutations start from: credentials signed as credpipe's issuer signs them
 * (OB 3.0 JWT proof with ES256 and RS256, an embedded {@code eddsa-rdfc-2022} proof, a CLR 2.0
 * learner record) and the status lists they point at, plus an attacker's keys. Every seed verifies
 * before it is mutated ({@code VerifierFuzzTest.everySeedVerifies}), so a mutant that fails fails
 * because of its mutation.
 */
public final class SignedSeeds {

    public static final String ISSUER_ID = "https://credentials.example.com/issuer";
    public static final String LIST_URL = "https://credentials.example.com/v1/status/0-0";
    public static final String DI_LIST_URL = "https://credentials.example.com/v1/status/1-0";
    public static final int ENTRIES = 131_072;
    /** The seeds' own status entry: 0 (valid) in every genuine list. */
    public static final int INDEX = 94_567;
    /** An entry the genuine lists have set (revoked). */
    public static final int REVOKED_INDEX = 1_234;
    /** Composed (NFC) on purpose: a normalization mutation changes its bytes, not what a reader sees. */
    public static final String HOLDER = "Zo\u00eb Ruiz";

    public static final EddsaRdfc2022 SUITE = new EddsaRdfc2022(BundledContexts.standard());

    public final TestIssuer issuer = new TestIssuer();
    /** The issuer's Data Integrity key: its {@code did:key} is the Data Integrity credential's issuer. */
    public final KeyPair edKey = ed25519();
    public final String didKey = "did:key:" + Ed25519Multikey.publicKeyMultibase(edKey.getPublic());
    public final String method = didKey + "#" + didKey.substring("did:key:".length());
    /** Keys the issuer never published. */
    public final ECKey attackerEc;
    public final KeyPair attackerEd = ed25519();

    public final String es256;
    public final String rs256;
    public final ObjectNode dataIntegrity;
    public final String learnerRecord;
    public final String list;
    public final String diList;

    public SignedSeeds() {
        try {
            attackerEc = new ECKeyGenerator(Curve.P_256).keyID("https://attacker.example/keys#1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        es256 = issuer.es256(TestIssuer.payload(credential(ISSUER_ID, LIST_URL)));
        rs256 = issuer.rs256(TestIssuer.payload(credential(ISSUER_ID, LIST_URL)));
        dataIntegrity = SUITE.sign(credential(didKey, DI_LIST_URL), method, TestIssuer.NOW, edKey.getPrivate());
        learnerRecord = issuer.es256(TestIssuer.payload(learnerRecord(credential(ISSUER_ID, LIST_URL))));
        list = issuer.es256(CredentialStatusTest.listPayload(listCredential(LIST_URL, ISSUER_ID)));
        diList = issuer.es256(CredentialStatusTest.listPayload(listCredential(DI_LIST_URL, didKey)));
    }

    /** The test credential of {@code issuerId} with a holder name that has a composed character and a revocation entry. */
    public static ObjectNode credential(String issuerId, String listUrl) {
        ObjectNode credential = TestIssuer.credential();
        ((ObjectNode) credential.get("issuer")).put("id", issuerId);
        ((ObjectNode) credential.at("/credentialSubject/identifier/0")).put("identityHash", HOLDER);
        credential.set("credentialStatus", entry(listUrl, "revocation", Integer.toString(INDEX)));
        return credential;
    }

    public static ObjectNode entry(String listUrl, String purpose, String index) {
        ObjectNode entry = TestIssuer.JSON.createObjectNode();
        entry.put("id", listUrl + "#" + index);
        entry.put("type", "BitstringStatusListEntry");
        entry.put("statusPurpose", purpose);
        entry.put("statusListIndex", index);
        entry.put("statusListCredential", listUrl);
        return entry;
    }

    /** The genuine list: {@link #REVOKED_INDEX} set, everything else 0, valid a year around {@link TestIssuer#NOW}. */
    public static ObjectNode listCredential(String url, String issuerId) {
        ObjectNode list = CredentialStatusTest.listCredential(url, issuerId, "revocation",
                CredentialStatusTest.encodedList(ENTRIES, 1, Map.of(REVOKED_INDEX, 1)));
        list.put("validUntil", "2027-06-01T00:00:00Z");
        return list;
    }

    /** A {@code ClrCredential} of the test issuer bundling {@code credential}, as credpipe's issuer writes one. */
    public static ObjectNode learnerRecord(ObjectNode credential) {
        ObjectNode record = TestIssuer.JSON.createObjectNode();
        record.putArray("@context").add(CredentialPayload.VC_V2_CONTEXT)
                .add("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json")
                .add("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
        record.put("id", "urn:uuid:00000000-0000-5000-8000-0000000000c1");
        record.putArray("type").add("VerifiableCredential").add("ClrCredential");
        record.put("name", "Comprehensive Learner Record");
        record.putObject("issuer").put("id", ISSUER_ID).put("name", "Example Plant Training Center").putArray("type").add("Profile");
        record.put("validFrom", "2026-05-31T00:00:00Z");
        ObjectNode subject = record.putObject("credentialSubject");
        subject.put("id", credential.at("/credentialSubject/id").asText());
        subject.putArray("type").add("ClrSubject");
        ArrayNode bundled = subject.putArray("verifiableCredential");
        bundled.add(credential);
        return record;
    }

    /** Signs {@code payload} with the issuer's EC key, as the issuer would (re-signing a changed payload). */
    public String issuerSigned(ObjectNode payload) {
        return issuer.es256(payload);
    }

    /** Signs {@code payload} with the attacker's EC key, naming {@code kid}. */
    public String attackerSigned(com.nimbusds.jose.JWSHeader header, String payload) {
        try {
            return TestIssuer.sign(header, payload, new ECDSASigner(attackerEc));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static com.nimbusds.jose.JWSHeader.Builder es256Header(String kid) {
        return new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(com.nimbusds.jose.JOSEObjectType.JWT);
    }

    /** The Data Integrity seed's unsecured document re-signed by the issuer's key: genuine, whatever it says. */
    public ObjectNode issuerProof(ObjectNode unsecured) {
        return SUITE.sign(unsecured, method, TestIssuer.NOW, edKey.getPrivate());
    }

    /** A proof by the attacker's key that names the issuer's verification method. */
    public ObjectNode attackerProof(ObjectNode unsecured) {
        return SUITE.sign(unsecured, method, TestIssuer.NOW, attackerEd.getPrivate());
    }

    public String attackerDidKey() {
        return "did:key:" + Ed25519Multikey.publicKeyMultibase(attackerEd.getPublic());
    }

    public static Instant now() {
        return TestIssuer.NOW;
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
