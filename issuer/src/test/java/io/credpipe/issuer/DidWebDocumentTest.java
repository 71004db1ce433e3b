package io.credpipe.issuer;

import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DidWebDocumentTest {

    @TempDir
    Path temp;

    @Test
    void retiredKeysStayInTheDocumentAfterTheActiveOne() throws Exception {
        IssuerKeys first = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        IssuerKeys rotated = first.rotate();

        ObjectNode document = new DidWebDocument(URLS).document(new PublishedKeys(rotated, URLS).jwks());

        JsonNode methods = document.get("verificationMethod");
        assertThat(methods).hasSize(2);
        assertThat(methods.get(0).get("id").asText()).isEqualTo("did:web:credentials.example.com#" + rotated.activeKeyId());
        assertThat(methods.get(1).get("id").asText()).isEqualTo("did:web:credentials.example.com#" + first.activeKeyId());
        assertThat(document.get("assertionMethod")).hasSize(2);
        assertThat(document.toString()).doesNotContain("\"d\"");
    }
}
