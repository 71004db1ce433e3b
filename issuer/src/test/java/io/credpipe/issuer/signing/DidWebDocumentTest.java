package io.credpipe.issuer.signing;

import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(document.path("alsoKnownAs").get(0).asText()).as("the profile URL, the issuer id before the DID")
                .isEqualTo("https://credentials.example.com/issuer");
    }

    @Test
    void rsaAndEcKeysAreJsonWebKey2020MethodsWithTheirPublicJwkOnly() throws Exception {
        IssuerKeys es = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        IssuerKeys rs = es.rotate(SigningAlgorithm.RS256);
        PublishedKeys published = new PublishedKeys(rs, URLS);

        ObjectNode document = new DidWebDocument(URLS).document(published.jwks());

        JsonNode methods = document.get("verificationMethod");
        assertThat(methods).hasSize(2);
        JsonNode rsa = methods.get(0);
        JsonNode ec = methods.get(1);
        assertThat(rsa.get("id").asText()).isEqualTo("did:web:credentials.example.com#" + rs.activeKeyId());
        assertThat(ec.get("id").asText()).isEqualTo("did:web:credentials.example.com#" + es.activeKeyId());
        for (JsonNode method : methods) {
            assertThat(method.get("type").asText()).isEqualTo("JsonWebKey2020");
            assertThat(method.get("controller").asText()).isEqualTo("did:web:credentials.example.com");
        }
        assertThat(rsa.at("/publicKeyJwk/kty").asText()).isEqualTo("RSA");
        assertThat(rsa.at("/publicKeyJwk/alg").asText()).isEqualTo("RS256");
        RSAKey fromDocument = RSAKey.parse(rsa.get("publicKeyJwk").toString());
        assertThat(fromDocument.isPrivate()).isFalse();
        assertThat(fromDocument.getModulus()).isEqualTo(rs.activeKey().toRSAKey().getModulus());
        assertThat(fromDocument.computeThumbprint().toString()).isEqualTo(rs.activeKeyId());
        List<String> rsaMembers = new ArrayList<>();
        rsa.get("publicKeyJwk").fieldNames().forEachRemaining(rsaMembers::add);
        assertThat(rsaMembers).doesNotContain("d", "p", "q", "dp", "dq", "qi");
        assertThat(ec.at("/publicKeyJwk/kty").asText()).isEqualTo("EC");
        assertThat(ec.at("/publicKeyJwk/crv").asText()).isEqualTo("P-256");
        assertThat(document.get("assertionMethod")).extracting(JsonNode::asText)
                .containsExactly(rsa.get("id").asText(), ec.get("id").asText());
        assertThat(document.toString()).doesNotContain("\"d\"");
        assertThat(published.jwks().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(PublishedKeys.keyUrl(URLS, rs.activeKeyId()), PublishedKeys.keyUrl(URLS, es.activeKeyId()));
    }
}
