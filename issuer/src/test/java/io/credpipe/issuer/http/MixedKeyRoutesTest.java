package io.credpipe.issuer.http;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.signing.SigningAlgorithm;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.Level;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key routes after a rotation from ES256 to RS256: both keys are served, each at its
 * {@code kid}, in the JWK set and in the DID document, and a credential of either verifies with
 * the key its {@code kid} dereferences to.
 */
class MixedKeyRoutesTest {

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private IssuedCredential es256;
    private IssuedCredential rs256;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC);
        CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
        IssuerKeys before = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        es256 = new CredentialIssuer(assembler, before.identitySalts(),
                new PublishedKeys(before, URLS).signer(SigningAlgorithm.ES256, JwtType.JWT), clock)
                .issue(Fixtures.proficient(DANA), Fixtures.chemical());
        IssuerKeys after = before.rotate(SigningAlgorithm.RS256);
        PublishedKeys keys = new PublishedKeys(after, URLS);
        rs256 = new CredentialIssuer(assembler, after.identitySalts(), keys.signer(SigningAlgorithm.RS256, JwtType.VC_JWT),
                clock).issue(Fixtures.achieved(DANA, Level.ADVANCED, null), Fixtures.chemical());
        Map<String, IssuedCredential> store = Map.of(es256.credentialId(), es256, rs256.credentialId(), rs256);
        http = Javalin.create(config -> config.showJavalinBanner = false);
        new IssuerRoutes(assembler.profile(), keys, id -> Optional.ofNullable(store.get(id)), new DidWebDocument(URLS))
                .addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @Test
    void theJwkSetHoldsBothKeysActiveFirstAndEachCredentialVerifiesWithItsKid() throws Exception {
        JWKSet jwks = JWKSet.parse(get("/.well-known/jwks.json"));

        assertThat(jwks.getKeys()).extracting(JWK::getKeyID).containsExactly(rs256.keyId(), es256.keyId());
        assertThat(jwks.getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        JWSObject rs = JWSObject.parse(rs256.jwt());
        JWSObject es = JWSObject.parse(es256.jwt());
        assertThat(rs.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(rs.getHeader().getType().getType()).isEqualTo("vc+jwt");
        assertThat(es.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(es.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(rs.verify(new RSASSAVerifier((RSAKey) jwks.getKeyByKeyId(rs.getHeader().getKeyID())))).isTrue();
        assertThat(es.verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(es.getHeader().getKeyID())))).isTrue();
    }

    @Test
    void eachKeyIsServedAtItsKidWithoutPrivateParts() throws Exception {
        String rsaBody = get(URI.create(rs256.keyId()).getPath());
        String ecBody = get(URI.create(es256.keyId()).getPath());

        RSAKey rsa = RSAKey.parse(rsaBody);
        ECKey ec = ECKey.parse(ecBody);
        assertThat(rsa.isPrivate()).isFalse();
        assertThat(ec.isPrivate()).isFalse();
        assertThat(rsaBody).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        assertThat(rsa.getKeyID()).isEqualTo(rs256.keyId());
        assertThat(JWSObject.parse(rs256.jwt()).verify(new RSASSAVerifier(rsa))).isTrue();
        assertThat(JWSObject.parse(es256.jwt()).verify(new ECDSAVerifier(ec))).isTrue();
    }

    @Test
    void theDidDocumentListsBothKeys() throws Exception {
        JsonNode document = mapper.readTree(get("/.well-known/did.json"));

        assertThat(document.get("verificationMethod")).extracting(method -> method.at("/publicKeyJwk/kty").asText())
                .containsExactly("RSA", "EC", "");
        assertThat(document.get("verificationMethod").get(2).get("type").asText()).isEqualTo("Multikey");
        assertThat(document.get("assertionMethod")).hasSize(3);
        assertThat(document.toString()).doesNotContain("\"d\"");
    }
}
