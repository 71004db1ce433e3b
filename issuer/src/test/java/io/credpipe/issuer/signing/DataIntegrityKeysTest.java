package io.credpipe.issuer.signing;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataIntegrityKeysTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temp;

    private final EddsaRdfc2022 suite = DataIntegritySigner.suite();
    private final DidWebDocument did = new DidWebDocument(URLS);

    @Test
    void anEd25519KeyIsGeneratedOnFirstRunBesideTheJwtKeyOwnerOnlyAndKeptAcrossStarts() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        Path file = temp.resolve("keys").resolve(DataIntegrityKeys.FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(keys.dataIntegrityPublicKeys()).singleElement().asString().startsWith("z6Mk");
        assertThat(IssuerKeys.loadOrCreate(temp.resolve("keys")).dataIntegrityPublicKeys())
                .isEqualTo(keys.dataIntegrityPublicKeys());
        assertThat(keys.toString()).doesNotContain(Files.readString(file).split("secretKeyMultibase\":\"")[1].substring(0, 20));
    }

    @Test
    void aWidelyReadableKeyFileIsRefused() throws Exception {
        IssuerKeys.loadOrCreate(temp.resolve("keys"));
        Files.setPosixFilePermissions(temp.resolve("keys").resolve(DataIntegrityKeys.FILE),
                PosixFilePermissions.fromString("rw-r--r--"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IssuerKeys.loadOrCreate(temp.resolve("keys")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("owner-only");
    }

    @Test
    void theDidDocumentListsEveryEd25519KeyAsAMultikeyAssertionMethod() throws Exception {
        IssuerKeys first = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        IssuerKeys rotated = first.rotateDataIntegrity();

        ObjectNode document = did.document(new PublishedKeys(rotated, URLS));

        List<JsonNode> multikeys = new ArrayList<>();
        document.get("verificationMethod").forEach(m -> {
            if (m.get("type").asText().equals("Multikey")) {
                multikeys.add(m);
            }
        });
        assertThat(multikeys).extracting(m -> m.get("publicKeyMultibase").asText())
                .containsExactlyElementsOf(rotated.dataIntegrityPublicKeys());
        assertThat(rotated.dataIntegrityPublicKeys()).hasSize(2).endsWith(first.dataIntegrityPublicKeys().get(0));
        for (JsonNode method : multikeys) {
            assertThat(method.get("id").asText()).isEqualTo(did.did() + "#" + method.get("publicKeyMultibase").asText());
            assertThat(method.get("controller").asText()).isEqualTo(did.did());
            assertThat(document.get("assertionMethod").toString()).contains(method.get("id").asText());
        }
        assertThat(document.get("@context").toString()).contains(PublishedKeys.MULTIKEY_CONTEXT);
        assertThat(document.toString()).doesNotContain("secretKeyMultibase");
    }

    @Test
    void theProofIsOverTheStoredCredentialAndVerifiesWithTheKeyTheDidDocumentPublishes() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys published = new PublishedKeys(keys, URLS);
        IssuedCredential issued = issue(published, keys);
        DataIntegritySigner signer = published.dataIntegritySigner(did.did(), suite, CLOCK);

        ObjectNode secured = signer.secure(issued);

        ObjectNode jwtPayload = CredentialSigner.signedDocument(issued.jwt());
        EddsaRdfc2022.Secured parts = EddsaRdfc2022.split(secured);
        assertThat(parts.unsecured()).isEqualTo(jwtPayload);
        assertThat(secured.get("id")).isEqualTo(jwtPayload.get("id"));
        assertThat(secured.get("credentialStatus")).isEqualTo(jwtPayload.get("credentialStatus"));
        assertThat(parts.proof().get("verificationMethod").asText())
                .isEqualTo(did.did() + "#" + keys.dataIntegrityPublicKeys().get(0));
        assertThat(parts.proof().get("created").asText()).isEqualTo("2026-05-21T08:00:00Z");
        assertThat(suite.verify(parts, Ed25519Multikey.publicKey(keys.dataIntegrityPublicKeys().get(0)))).isTrue();
    }

    @Test
    void afterRotationNewProofsUseTheNewKeyAndOldProofsStillVerifyWithTheRetiredOne() throws Exception {
        IssuerKeys first = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        IssuedCredential issued = issue(new PublishedKeys(first, URLS), first);
        ObjectNode before = new PublishedKeys(first, URLS).dataIntegritySigner(did.did(), suite, CLOCK).secure(issued);
        IssuerKeys rotated = first.rotateDataIntegrity();
        ObjectNode after = new PublishedKeys(rotated, URLS).dataIntegritySigner(did.did(), suite, CLOCK).secure(issued);

        String oldKey = rotated.dataIntegrityPublicKeys().get(1);
        String newKey = rotated.dataIntegrityPublicKeys().get(0);
        assertThat(before.at("/proof/verificationMethod").asText()).endsWith("#" + oldKey);
        assertThat(after.at("/proof/verificationMethod").asText()).endsWith("#" + newKey);
        assertThat(suite.verify(EddsaRdfc2022.split(before), Ed25519Multikey.publicKey(oldKey))).isTrue();
        assertThat(suite.verify(EddsaRdfc2022.split(after), Ed25519Multikey.publicKey(newKey))).isTrue();
        assertThat(suite.verify(EddsaRdfc2022.split(after), Ed25519Multikey.publicKey(oldKey))).isFalse();
    }

    private static IssuedCredential issue(PublishedKeys published, IssuerKeys keys) {
        return new CredentialIssuer(new CredentialAssembler(ISSUER, URLS), keys.identitySalts(), published.signer(), CLOCK)
                .issue(Fixtures.proficient(DANA), Fixtures.chemical());
    }
}
