package io.credpipe.issuer.http;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.signing.SigningAlgorithm;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.model.credential.IssuedCredential;
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

class IssuerRoutesTest {

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private IssuerKeys issuerKeys;
    private IssuedCredential issued;
    /** Signed with {@code typ: vc+jwt}, as an issuer started with {@code --jwt-typ vc+jwt} signs. */
    private IssuedCredential issuedVcJwt;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys keys = new PublishedKeys(issuerKeys, URLS);
        CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
        issued = new CredentialIssuer(assembler, issuerKeys.identitySalts(), keys.signer(),
                Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC))
                .issue(Fixtures.proficient(DANA), Fixtures.chemical());
        issuedVcJwt = new CredentialIssuer(assembler, issuerKeys.identitySalts(),
                keys.signer(SigningAlgorithm.ES256, JwtType.VC_JWT), Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC))
                .issue(Fixtures.proficient(ANONYMOUS), Fixtures.chemical());
        Map<String, IssuedCredential> store = Map.of(issued.credentialId(), issued, issuedVcJwt.credentialId(), issuedVcJwt);
        http = ProblemServer.create();
        new IssuerRoutes(assembler.profile(), keys, id -> Optional.ofNullable(store.get(id)), new DidWebDocument(URLS))
                .addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jwksServesThePublicKeysAsAJwkSet() throws Exception {
        HttpResponse<String> response = get("/.well-known/jwks.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwk-set+json"));
        assertThat(response.body()).doesNotContain("\"d\"");
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).hasSize(1);
        assertThat(jwks.getKeys().get(0).getKeyID()).isEqualTo(issued.keyId());
    }

    @Test
    void eachKeyIsServedAtItsKid() throws Exception {
        String path = URI.create(issued.keyId()).getPath();
        HttpResponse<String> response = get(path, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwk+json"));
        ECKey key = ECKey.parse(response.body());
        assertThat(key.isPrivate()).isFalse();
        assertThat(JWSObject.parse(issued.jwt()).verify(new ECDSAVerifier(key))).isTrue();
        assertThat(get("/keys/unknown", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theDidDocumentListsTheKeysUnderTheDidWebOfTheBaseUrl() throws Exception {
        HttpResponse<String> response = get("/.well-known/did.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/did+json"));
        JsonNode document = mapper.readTree(response.body());
        assertThat(document.get("id").asText()).isEqualTo("did:web:credentials.example.com");
        // The ES256 key for JWTs, then the Ed25519 Multikey for Data Integrity proofs.
        assertThat(document.get("verificationMethod")).hasSize(2);
        assertThat(document.get("verificationMethod").get(1).get("type").asText()).isEqualTo("Multikey");
        String thumbprint = issued.keyId().substring(issued.keyId().lastIndexOf('/') + 1);
        JsonNode signing = document.get("verificationMethod").get(0);
        assertThat(signing.get("id").asText()).isEqualTo("did:web:credentials.example.com#" + thumbprint);
        assertThat(signing.get("type").asText()).isEqualTo("JsonWebKey2020");
        assertThat(signing.at("/publicKeyJwk/d").isMissingNode()).isTrue();
        ECKey key = ECKey.parse(mapper.writeValueAsString(signing.get("publicKeyJwk")));
        assertThat(JWSObject.parse(issued.jwt()).verify(new ECDSAVerifier(key))).isTrue();
        assertThat(document.get("assertionMethod")).extracting(JsonNode::asText).contains(signing.get("id").asText());
    }

    @Test
    void didWebNamesEncodePortsAndPaths() {
        assertThat(new DidWebDocument(new io.credpipe.model.credential.PublicUrls("http://localhost:8080")).did())
                .isEqualTo("did:web:localhost%3A8080");
        DidWebDocument withPath = new DidWebDocument(new io.credpipe.model.credential.PublicUrls("https://example.com/org/credpipe"));
        assertThat(withPath.did()).isEqualTo("did:web:example.com:org:credpipe");
        assertThat(withPath.documentPath()).isEqualTo("/did.json");
    }

    @Test
    void issuerServesTheProfile() throws Exception {
        HttpResponse<String> response = get("/issuer", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode profile = mapper.readTree(response.body());
        assertThat(profile.get("id").asText()).as("the issuer is its did:web DID").isEqualTo("did:web:credentials.example.com");
        assertThat(profile.get("url").asText()).isEqualTo("https://credentials.example.com");
        assertThat(profile.get("type").get(0).asText()).isEqualTo("Profile");
        assertThat(profile.get("name").asText()).isEqualTo(ISSUER.name());
        assertThat(profile.get("@context").get(0).asText()).isEqualTo("https://www.w3.org/ns/credentials/v2");
    }

    @Test
    void credentialIsTheCompactJwsWhenAskedFor() throws Exception {
        HttpResponse<String> response = get("/v1/credentials/" + issued.credentialId(), "application/jwt");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwt"));
        assertThat(response.body()).isEqualTo(issued.jwt());
    }

    @Test
    void aVcJwtCredentialIsServedAsApplicationVcJwtWhicheverJwtTypeIsAskedFor() throws Exception {
        for (String accept : new String[] {"application/vc+jwt", "application/jwt", "application/jwt, application/vc+jwt"}) {
            HttpResponse<String> response = get("/v1/credentials/" + issuedVcJwt.credentialId(), accept);

            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/vc+jwt"));
            assertThat(response.body()).isEqualTo(issuedVcJwt.jwt());
        }
        assertThat(get("/v1/credentials/" + issued.credentialId(), "application/vc+jwt").headers()
                .firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/jwt"));
    }

    @Test
    void theMediaTypeFollowsTheJwsTyp() {
        assertThat(JwtType.of(issued.jwt())).isEqualTo(JwtType.JWT);
        assertThat(JwtType.of(issuedVcJwt.jwt())).isEqualTo(JwtType.VC_JWT);
        // No typ, or another one: every compact JWS is an application/jwt.
        assertThat(JwtType.of(new JWSHeader(JWSAlgorithm.ES256).toBase64URL() + ".e30.c2ln"))
                .isEqualTo(JwtType.JWT);
        assertThat(JwtType.VC_JWT.mediaType()).isEqualTo("application/vc+jwt");
        assertThat(JwtType.JWT.mediaType()).isEqualTo("application/jwt");
    }

    @Test
    void credentialIsJsonWithTheDecodedCredentialByDefault() throws Exception {
        HttpResponse<String> response = get("/v1/credentials/" + issued.credentialId(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = mapper.readTree(response.body());
        assertThat(mapper.treeToValue(body, IssuedCredential.class)).isEqualTo(issued);
        JsonNode credential = body.get("credential");
        assertThat(credential.get("id").asText()).isEqualTo(
                "https://credentials.example.com/credentials/" + issued.credentialId());
        assertThat(credential.at("/credentialSubject/achievement/name").asText())
                .isEqualTo("Proficient — Chemical Plant and System Operators (v.26.05)");
        assertThat(credential.has("iss")).isFalse();
        assertThat(credential.has("jti")).isFalse();
    }

    @Test
    void unknownCredentialIsAProblem() throws Exception {
        HttpResponse<String> response = get("/v1/credentials/00000000-0000-5000-8000-000000000000", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(mapper.readTree(response.body()).get("type").asText())
                .isEqualTo("https://credpipe.io/problems/credential-not-found");
    }

    @Test
    void acceptNegotiation() {
        assertThat(IssuerRoutes.prefersJwt(null)).isFalse();
        assertThat(IssuerRoutes.prefersJwt("*/*")).isFalse();
        assertThat(IssuerRoutes.prefersJwt("application/json")).isFalse();
        assertThat(IssuerRoutes.prefersJwt("application/jwt")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/jwt, */*;q=0.8")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/json, application/jwt")).isFalse();
        assertThat(IssuerRoutes.prefersJwt("application/json;q=0.5, application/jwt")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/jwt;q=0")).isFalse();
        assertThat(IssuerRoutes.prefersJwt("Application/JWT; q=0.9, text/html")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/vc+jwt")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/vc+jwt, application/json;q=0.5")).isTrue();
        assertThat(IssuerRoutes.prefersJwt("application/json, application/vc+jwt;q=0.5")).isFalse();
    }

    @Test
    void askingForJsonLdGivesTheSameCredentialWithAFreshDataIntegrityProofEachTime() throws Exception {
        String path = "/credentials/" + issued.credentialId();
        HttpResponse<String> first = get(path, "application/ld+json");
        HttpResponse<String> second = get(path, "application/vc");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/ld+json"));
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        io.credpipe.model.integrity.EddsaRdfc2022 suite = io.credpipe.issuer.signing.DataIntegritySigner.suite();
        com.fasterxml.jackson.databind.node.ObjectNode payload =
                io.credpipe.issuer.signing.CredentialSigner.signedDocument(issued.jwt());
        for (HttpResponse<String> response : java.util.List.of(first, second)) {
            JsonNode secured = mapper.readTree(response.body());
            io.credpipe.model.integrity.EddsaRdfc2022.Secured parts = io.credpipe.model.integrity.EddsaRdfc2022.split(secured);
            assertThat(parts.unsecured()).isEqualTo(payload);
            assertThat(parts.proof().get("cryptosuite").asText()).isEqualTo("eddsa-rdfc-2022");
            assertThat(suite.verify(parts, io.credpipe.model.integrity.Ed25519Multikey.publicKey(
                    issuerKeys.dataIntegrityPublicKeys().get(0)))).isTrue();
        }
    }

    @Test
    void theLdJsonRouteDownloadsTheDataIntegrityFormAsAFile() throws Exception {
        HttpResponse<String> response = get("/credentials/" + issued.credentialId() + IssuerRoutes.LD_JSON_SUFFIX, "text/html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"" + issued.credentialId() + ".ld.json\"");
        assertThat(mapper.readTree(response.body()).at("/proof/type").asText()).isEqualTo("DataIntegrityProof");
        assertThat(get("/credentials/nope" + IssuerRoutes.LD_JSON_SUFFIX, null).statusCode()).isEqualTo(404);
    }

    @Test
    void jwtStaysTheAnswerWhenJwtIsPreferredOrNamedFirstAtEqualQuality() throws Exception {
        assertThat(get("/credentials/" + issued.credentialId(), "application/jwt, application/ld+json;q=0.5").body())
                .isEqualTo(issued.jwt());
        assertThat(IssuerRoutes.prefersLinkedData("application/ld+json, application/jwt")).isFalse();
        assertThat(IssuerRoutes.prefersLinkedData("application/ld+json")).isTrue();
    }

    @Test
    void eachEd25519KeyIsServedAsAMultikeyAtItsOwnUrl() throws Exception {
        String multibase = issuerKeys.dataIntegrityPublicKeys().get(0);
        HttpResponse<String> response = get("/keys/" + multibase, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode key = mapper.readTree(response.body());
        assertThat(key.get("type").asText()).isEqualTo("Multikey");
        assertThat(key.get("id").asText()).isEqualTo(URLS.base() + "/keys/" + multibase);
        assertThat(key.get("controller").asText()).isEqualTo(new DidWebDocument(URLS).did());
        assertThat(key.get("publicKeyMultibase").asText()).isEqualTo(multibase);
        assertThat(response.body()).doesNotContain("secretKeyMultibase");
    }
}
