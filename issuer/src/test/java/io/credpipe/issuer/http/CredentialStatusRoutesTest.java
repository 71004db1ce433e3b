package io.credpipe.issuer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.StatusBitstring;
import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.CredentialStatusCommand;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStatusRoutesTest {

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");
    private static final EddsaRdfc2022 SUITE = DataIntegritySigner.suite();

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<CredentialStatusCommand> sent = new CopyOnWriteArrayList<>();
    private PublishedKeys keys;
    private IssuedCredential issued;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        keys = new PublishedKeys(issuerKeys, URLS);
        StatusLists statusLists = new StatusLists(URLS);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS), issuerKeys.identitySalts(),
                keys.signer(), clock);
        issued = issuer.issue(Fixtures.proficient(DANA), Fixtures.chemical(), statusLists.messageEntry("0-0", 12));
        StatusListState list = new StatusListState("0-0", "message", StatusLists.ENTRIES,
                StatusLists.bits(StatusLists.emptyMessageList("0-0", NOW)).withStatus(12, 2).encode(), NOW);
        String listJwt = keys.signer().sign(statusLists.credential(list, ISSUER)).jwt();
        Map<String, Caller> callers = Map.of("admin-key", new Caller("ops", true), "hr-key", new Caller("hr1", false));
        http = ProblemServer.create();
        new CredentialStatusRoutes(key -> Optional.ofNullable(callers.get(key)),
                id -> id.equals(issued.credentialId()) ? Optional.of(issued) : Optional.empty(),
                sent::add,
                id -> id.equals("0-0")
                        ? Optional.of(new CredentialStatusRoutes.SignedStatusList(listJwt, "\"v1\""))
                        : Optional.empty(),
                id -> id.equals("0-0")
                        ? Optional.of(keys.dataIntegritySigner(new DidWebDocument(URLS).did(), SUITE, clock)
                                .secure(statusLists.credential(list, ISSUER)))
                        : Optional.empty(),
                clock).addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    private HttpResponse<String> post(String path, String apiKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String accept, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .header("Accept", accept);
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonLdClientsGetTheListWithADataIntegrityProofAndEveryoneElseTheJwt() throws Exception {
        // What the DCC's verifier-core (VerifierPlus, the Learner Credential Wallet) sends.
        HttpResponse<String> linkedData = get("/v1/status/0-0", "application/ld+json, application/json", null);

        assertThat(linkedData.statusCode()).isEqualTo(200);
        assertThat(linkedData.headers().firstValue("Content-Type").orElse("")).startsWith("application/ld+json");
        assertThat(linkedData.headers().firstValue("Vary")).contains("Accept");
        String etag = linkedData.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("W/\"v1-di\"");
        ObjectNode list = (ObjectNode) mapper.readTree(linkedData.body());
        assertThat(list.at("/issuer/id").asText()).isEqualTo("did:web:credentials.example.com");
        assertThat(list.path("type").toString()).contains("BitstringStatusListCredential");
        EddsaRdfc2022.Secured secured = EddsaRdfc2022.split(list);
        String method = secured.proof().path("verificationMethod").asText();
        assertThat(method).startsWith("did:web:credentials.example.com#z6Mk");
        assertThat(SUITE.verify(secured, Ed25519Multikey.publicKey(method.substring(method.indexOf('#') + 1)))).isTrue();
        assertThat(get("/v1/status/0-0", "application/ld+json", etag).statusCode()).isEqualTo(304);

        for (String accept : new String[] {"application/vc+jwt, application/jwt", "*/*", "application/json",
                "application/jwt, application/ld+json;q=0.5"}) {
            HttpResponse<String> jwt = get("/v1/status/0-0", accept, null);
            assertThat(jwt.headers().firstValue("Content-Type").orElse("")).as(accept).startsWith("application/jwt");
            assertThat(jwt.body()).as(accept).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        }
    }

    private String revokePath() {
        return "/v1/credentials/" + issued.credentialId() + "/revoke";
    }

    @Test
    void anAdministratorsRequestBecomesACommandKeyedByTheOperator() throws Exception {
        HttpResponse<String> response = post("/v1/credentials/" + issued.credentialId() + "/suspend", "admin-key",
                "{\"reason\": \"under investigation\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.credentialId()).isEqualTo(issued.credentialId());
            assertThat(command.operatorId()).isEqualTo(DANA.id());
            assertThat(command.action()).isEqualTo(StatusAction.SUSPEND);
            assertThat(command.reason()).isEqualTo("under investigation");
            assertThat(command.requestedBy()).isEqualTo("ops");
            assertThat(command.requestedAt()).isEqualTo(NOW);
        });
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("commandId").asText()).isEqualTo(sent.get(0).commandId());
        assertThat(body.get("action").asText()).isEqualTo("suspend");
    }

    @Test
    void withoutAKnownKeyTheAnswerIs401WithABearerChallenge() throws Exception {
        for (String key : new String[] {null, "wrong-key"}) {
            HttpResponse<String> response = post(revokePath(), key, "{\"reason\": \"x\"}");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer"));
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void aKeyThatIsNotAnAdministratorsIsForbidden() throws Exception {
        assertThat(post(revokePath(), "hr-key", "{\"reason\": \"x\"}").statusCode()).isEqualTo(403);
        assertThat(sent).isEmpty();
    }

    @Test
    void aReasonIsRequiredAndTheCredentialMustExist() throws Exception {
        assertThat(post(revokePath(), "admin-key", "{}").statusCode()).isEqualTo(400);
        assertThat(post(revokePath(), "admin-key", "{\"reason\": \"  \"}").statusCode()).isEqualTo(400);
        assertThat(post(revokePath(), "admin-key", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/v1/credentials/00000000-0000-5000-8000-000000000000/reinstate", "admin-key",
                "{\"reason\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(sent).isEmpty();
    }

    @Test
    void theStatusListIsServedSignedWithCachingHeaders() throws Exception {
        HttpResponse<String> response = get("/v1/status/0-0", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwt"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"v1\"");
        JWSObject jws = JWSObject.parse(response.body());
        ECKey key = (ECKey) keys.jwks().getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(jws.verify(new ECDSAVerifier(key))).isTrue();
        JsonNode list = mapper.readTree(jws.getPayload().toString());
        assertThat(list.get("type")).extracting(JsonNode::asText)
                .containsExactly("VerifiableCredential", "BitstringStatusListCredential");
        assertThat(list.get("id").asText()).isEqualTo(URLS.base() + "/v1/status/0-0");
        assertThat(list.at("/credentialSubject/type").asText()).isEqualTo("BitstringStatusList");
        assertThat(list.at("/credentialSubject/statusPurpose").asText()).isEqualTo("message");
        JsonNode entry = mapper.readTree(JWSObject.parse(issued.jwt()).getPayload().toString()).get("credentialStatus");
        assertThat(entry.get("statusListCredential").asText()).isEqualTo(list.get("id").asText());
        int index = Integer.parseInt(entry.get("statusListIndex").asText());
        String encodedList = list.at("/credentialSubject/encodedList").asText();
        assertThat(CredentialStanding.of(StatusBitstring.decode(encodedList, StatusLists.ENTRIES, 2).status(index)))
                .isEqualTo(new CredentialStanding(false, true));

        assertThat(get("/v1/status/0-0", "\"v1\"").statusCode()).isEqualTo(304);
        assertThat(get("/v1/status/0-0", "\"v0\"").statusCode()).isEqualTo(200);
        assertThat(get("/v1/status/9-9", null).statusCode()).isEqualTo(404);
        assertThat(get("/v1/status/..", null).statusCode()).isEqualTo(404);
    }
}
