package io.credpipe.issuer.http;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.IssuerService;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.ClrAssembler;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.StatusLists;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.event.OperatorRegistry;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/operators/{id}/credentials} and {@code …/clr} over a real Javalin server, with
 * credentials signed by a real key and status lists in which some are revoked or suspended.
 */
class OperatorRecordRoutesTest {

    private static final String HR_KEY = "hr1-key";

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final StatusLists statusLists = new StatusLists(URLS);
    private final Map<String, StatusListState> lists = new HashMap<>();
    private final Map<String, List<IssuedCredential>> byOperator = new HashMap<>();
    /** Operators the pipeline has heard of besides those with credentials. */
    private final java.util.Set<String> onRecord = new java.util.HashSet<>();
    private PublishedKeys keys;
    private CredentialIssuer issuer;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        keys = new PublishedKeys(issuerKeys, URLS);
        CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
        issuer = new CredentialIssuer(assembler, issuerKeys.identitySalts(), keys.signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        ClrAssembler clrs = new ClrAssembler(assembler.profile());
        OperatorRecordRoutes.Records records = operatorId -> CredentialRecord.of(
                byOperator.getOrDefault(operatorId, List.of()), statusLists, id -> Optional.ofNullable(lists.get(id)));
        // What IssuerService#clr does, with the fixed clock.
        io.credpipe.issuer.signing.DataIntegritySigner dataIntegrity = keys.dataIntegritySigner(
                new io.credpipe.issuer.signing.DidWebDocument(URLS).did(), io.credpipe.issuer.signing.DataIntegritySigner.suite(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        OperatorRecordRoutes.Clrs signedClrs = (operatorId, withProofs) -> {
            List<ClrAssembler.Bundled> current = records.of(operatorId).stream().filter(r -> r.currentAt(NOW))
                    .map(r -> new ClrAssembler.Bundled(r.issued(), withProofs ? dataIntegrity.secure(r.credential()) : r.credential()))
                    .toList();
            return current.isEmpty() ? Optional.empty() : Optional.of(keys.signer().sign(clrs.assemble(current)));
        };
        http = ProblemServer.create();
        Authenticator hrKeys = key -> HR_KEY.equals(key) ? Optional.of(new Caller("hr1", false)) : Optional.empty();
        new OperatorRecordRoutes(hrKeys, records, signedClrs,
                operatorId -> onRecord.contains(operatorId) || byOperator.containsKey(operatorId)
                        ? OperatorRegistry.Standing.ON_RECORD : OperatorRegistry.Standing.UNKNOWN).addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    /** Issues {@code level} to Dana with status entry {@code index} of list 0-0, set to {@code status}. */
    private IssuedCredential issue(Level level, int index, int status, Instant validUntil) {
        LevelAchieved achievement = Fixtures.achieved(DANA, level, validUntil);
        IssuedCredential issued = issuer.issue(achievement, Fixtures.chemical(), statusLists.messageEntry("0-0", index));
        StatusListState list = lists.getOrDefault("0-0", StatusLists.emptyMessageList("0-0", NOW));
        lists.put("0-0", new StatusListState("0-0", list.purpose(), list.length(),
                StatusLists.bits(list).withStatus(index, status).encode(), NOW));
        byOperator.computeIfAbsent(DANA.id(), id -> new java.util.ArrayList<>()).add(issued);
        return issued;
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return get(path, accept, HR_KEY);
    }

    private HttpResponse<String> get(String path, String accept, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorsRecordsNeedAKnownApiKey() throws Exception {
        issue(Level.EMERGING, 7, 0, null);
        for (String path : new String[] {"/v1/operators/" + DANA.id() + "/credentials", "/v1/operators/" + DANA.id() + "/clr"}) {
            for (String key : new String[] {null, "guessed"}) {
                HttpResponse<String> response = get(path, null, key);

                assertThat(response.statusCode()).as(path).isEqualTo(401);
                assertThat(response.body()).doesNotContain(DANA.id()).doesNotContain("eyJ");
            }
        }
    }

    @Test
    void theCredentialListShowsEachCredentialWithItsStatus() throws Exception {
        IssuedCredential emerging = issue(Level.EMERGING, 7, 0, null);
        IssuedCredential developing = issue(Level.DEVELOPING, 8, CredentialStanding.REVOKED_BIT, null);
        IssuedCredential proficient = issue(Level.PROFICIENT, 9, CredentialStanding.SUSPENDED_BIT,
                Instant.parse("2030-01-01T00:00:00Z"));

        HttpResponse<String> response = get("/v1/operators/" + DANA.id() + "/credentials", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("operatorId").asText()).isEqualTo(DANA.id());
        JsonNode list = body.get("credentials");
        assertThat(list).extracting(c -> c.get("id").asText())
                .containsExactly(emerging.credentialId(), developing.credentialId(), proficient.credentialId());
        assertThat(list).extracting(c -> c.get("status").asText()).containsExactly("valid", "revoked", "suspended");
        JsonNode first = list.get(0);
        assertThat(first.get("url").asText()).isEqualTo(URLS.credential(
                io.credpipe.model.credential.CredentialId.parse(emerging.credentialId())));
        assertThat(first.get("framework").asText()).isEqualTo(Fixtures.CHEMICAL.toString());
        assertThat(first.get("level").asText()).isEqualTo("emerging");
        assertThat(first.get("sequence").asInt()).isEqualTo(1);
        assertThat(first.get("issuedAt").asText()).isEqualTo("2026-05-21T08:00:00Z");
        assertThat(first.get("validUntil").isNull()).isTrue();
        assertThat(first.get("jwt").asText()).isEqualTo(emerging.jwt());
        assertThat(list.get(2).get("validUntil").asText()).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void anOperatorOnRecordWithoutCredentialsHasAnEmptyList() throws Exception {
        onRecord.add("acme:assessed");

        HttpResponse<String> response = get("/v1/operators/acme:assessed/credentials", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("credentials")).isEmpty();
    }

    /** Issue 16.6: "no such operator" does not read like "nothing yet". */
    @Test
    void anUnknownOperatorIs404OnBothRoutes() throws Exception {
        for (String path : new String[] {"/v1/operators/acme:nobody/credentials", "/v1/operators/acme:nobody/clr"}) {
            HttpResponse<String> response = get(path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(mapper.readTree(response.body()).get("type").asText()).endsWith("/operator-not-found");
        }
    }

    /** Issue 16.6: a summary without the ~20 KB JWTs, and pages walked by their next links. */
    @Test
    void theListIsPagedAndItsSummaryCarriesNoJwt() throws Exception {
        List<String> issued = new java.util.ArrayList<>();
        int index = 7;
        for (Level level : Level.values()) {
            issued.add(issue(level, index++, 0, null).credentialId());
        }

        List<String> listed = new java.util.ArrayList<>();
        String path = "/v1/operators/" + DANA.id() + "/credentials?fields=summary&limit=3";
        int pages = 0;
        while (path != null) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = mapper.readTree(response.body());
            body.get("credentials").forEach(c -> {
                assertThat(c.has("jwt")).isFalse();
                assertThat(c.get("status").asText()).isEqualTo("valid");
                listed.add(c.get("id").asText());
            });
            path = body.has("next") ? body.get("next").asText() : null;
            if (path != null) {
                assertThat(response.headers().firstValue("Link")).hasValue("<" + path + ">; rel=\"next\"");
            }
            pages++;
        }
        assertThat(listed).isEqualTo(issued);
        assertThat(pages).isEqualTo(2);
        assertThat(get("/v1/operators/" + DANA.id() + "/credentials?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(get("/v1/operators/" + DANA.id() + "/credentials?fields=everything", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theClrIsASignedJwtOfTheCurrentCredentialsOnly() throws Exception {
        IssuedCredential emerging = issue(Level.EMERGING, 7, 0, null);
        issue(Level.DEVELOPING, 8, CredentialStanding.REVOKED_BIT, null);
        issue(Level.PROFICIENT, 9, CredentialStanding.SUSPENDED_BIT, null);
        issue(Level.ADVANCED, 10, 0, NOW.minusSeconds(1));
        IssuedCredential advanced = issuer.issue(new LevelAchieved(DANA, Fixtures.CHEMICAL, Level.ADVANCED, 2,
                Fixtures.achieved(DANA, Level.ADVANCED, null).statements(), NOW, null,
                io.credpipe.model.framework.LevelPolicy.DEFAULT.ref(), "again"), Fixtures.chemical(),
                statusLists.messageEntry("0-0", 11));
        byOperator.get(DANA.id()).add(advanced);

        HttpResponse<String> response = get("/v1/operators/" + DANA.id() + "/clr", "application/jwt");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jwt");
        JWSObject jws = JWSObject.parse(response.body());
        assertThat(jws.verify(new ECDSAVerifier((ECKey) keys.jwks().getKeyByKeyId(jws.getHeader().getKeyID())))).isTrue();
        JsonNode clr = mapper.readTree(jws.getPayload().toString());
        assertThat(clr.get("type").toString()).contains("ClrCredential");
        // Revoked (developing), suspended (proficient) and expired (advanced #1) are left out.
        assertThat(clr.at("/credentialSubject/verifiableCredential")).extracting(c -> c.get("id").asText())
                .containsExactly(URLS.credential(io.credpipe.model.credential.CredentialId.parse(emerging.credentialId())),
                        URLS.credential(io.credpipe.model.credential.CredentialId.parse(advanced.credentialId())));
        assertThat(clr.at("/credentialSubject/association/0/associationType").asText()).isEqualTo("precedes");
    }

    @Test
    void theClrCanBundleCredentialsEachVerifiableOnItsOwnByItsDataIntegrityProof() throws Exception {
        IssuedCredential emerging = issue(Level.EMERGING, 7, 0, null);
        issue(Level.DEVELOPING, 8, 0, null);

        HttpResponse<String> response = get("/v1/operators/" + DANA.id() + "/clr?bundled=data-integrity", "application/jwt");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode clr = mapper.readTree(JWSObject.parse(response.body()).getPayload().toString());
        assertThat(new io.credpipe.issuer.StandardsConformance().clrCredentialErrors(clr)).isEmpty();
        JsonNode nested = clr.at("/credentialSubject/verifiableCredential");
        assertThat(nested).hasSize(2);
        io.credpipe.model.integrity.EddsaRdfc2022 suite = io.credpipe.issuer.signing.DataIntegritySigner.suite();
        java.security.PublicKey key = io.credpipe.model.integrity.Ed25519Multikey.publicKey(keys.multikeys().get(0));
        for (JsonNode credential : nested) {
            assertThat(credential.at("/proof/cryptosuite").asText()).isEqualTo("eddsa-rdfc-2022");
            assertThat(suite.verify(io.credpipe.model.integrity.EddsaRdfc2022.split(credential), key)).isTrue();
        }
        assertThat(io.credpipe.model.integrity.EddsaRdfc2022.split(nested.get(0)).unsecured())
                .isEqualTo(io.credpipe.issuer.signing.CredentialSigner.signedDocument(emerging.jwt()));
        // Without the parameter the bundled credentials stay as before: covered by the record's JWT only.
        JsonNode plain = mapper.readTree(JWSObject.parse(get("/v1/operators/" + DANA.id() + "/clr", "application/jwt").body())
                .getPayload().toString());
        assertThat(plain.at("/credentialSubject/verifiableCredential/0").has("proof")).isFalse();
    }

    @Test
    void theClrAsJsonCarriesTheJwtAndTheDecodedRecord() throws Exception {
        issue(Level.EMERGING, 7, 0, null);

        HttpResponse<String> response = get("/v1/operators/" + DANA.id() + "/clr", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.headers().firstValue("Vary")).contains("Accept");
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("jwt").asText().split("\\.")).hasSize(3);
        assertThat(body.at("/credential/credentialSubject/type/0").asText()).isEqualTo("ClrSubject");
        assertThat(body.get("credential").has("iss")).isFalse();
    }

    @Test
    void anOperatorWithNothingCurrentHasNoClr() throws Exception {
        issue(Level.EMERGING, 7, CredentialStanding.REVOKED_BIT, null);

        HttpResponse<String> response = get("/v1/operators/" + DANA.id() + "/clr", "application/jwt");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("clr-not-found");
    }

    @Test
    void aCredentialWhoseListIsUnknownIsNotCurrent() {
        IssuedCredential emerging = issue(Level.EMERGING, 7, 0, null);
        lists.clear();

        CredentialRecord record = CredentialRecord.of(List.of(emerging), statusLists, id -> Optional.ofNullable(lists.get(id)))
                .get(0);

        assertThat(record.status()).isEqualTo("unknown");
        assertThat(record.currentAt(NOW)).isFalse();
        assertThat(record.credential().has("jti")).isFalse();
        assertThat(record.credential().get("id").asText()).isEqualTo(
                URLS.credential(io.credpipe.model.credential.CredentialId.parse(emerging.credentialId())));
    }
}
