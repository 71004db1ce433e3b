package io.credpipe.verifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.verifier.http.LocalIssuer.Case;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /v1/verify} as an API client uses it: over real HTTP, against an issuer that serves its
 * keys, credentials and status lists on 127.0.0.1.
 */
class VerifyApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalIssuer issuer;
    private static VerifyService service;

    @BeforeAll
    static void start() {
        issuer = new LocalIssuer();
        service = new VerifyService();
    }

    @AfterAll
    static void stop() {
        service.close();
        issuer.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "VALID,              verified,     ,                  ",
        "REVOKED,            not-verified, status,            revoked",
        "SUSPENDED,          not-verified, status,            suspended",
        "EXPIRED,            not-verified, valid-until,       expired on",
        "TAMPERED,           not-verified, signature,         altered",
        "WRONG_KEY,          not-verified, kid,               not signed with any of the keys",
        "STATUS_UNREACHABLE, cannot-tell,  status,            could not be downloaded",
        "STATUS_TAMPERED,    cannot-tell,  status,            not validly signed",
    })
    void eachCaseGetsItsVerdictAndReason(Case c, String verdict, String check, String explanation) throws Exception {
        HttpResponse<String> response = post("application/jwt", "\n  " + issuer.jws(c) + "\n");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("verdict").asText()).as(response.body()).isEqualTo(verdict);
        List<JsonNode> notPassed = StreamSupport.stream(report.path("checks").spliterator(), false)
                .filter(x -> !x.path("outcome").asText().equals("pass")).toList();
        if (check == null) {
            assertThat(notPassed).as(response.body()).isEmpty();
            assertThat(report.at("/summary/status/state").asText()).isEqualTo("valid");
        } else {
            assertThat(notPassed).as(response.body()).hasSize(1);
            assertThat(notPassed.get(0).path("name").asText()).isEqualTo(check);
            assertThat(notPassed.get(0).path("outcome").asText()).isEqualTo(verdict.equals("cannot-tell") ? "cannot-tell" : "fail");
            assertThat(notPassed.get(0).path("explanation").asText()).contains(explanation);
            assertThat(notPassed.get(0).path("reason").asText()).isNotBlank();
        }
    }

    @Test
    void theReportSaysWhoWhatLevelWhichStatementsAndWhen() throws Exception {
        JsonNode report = JSON.readTree(post("text/plain", issuer.jws(Case.VALID)).body());
        JsonNode summary = report.path("summary");
        assertThat(summary.path("holder").asText()).isEqualTo("Dana Ruiz");
        assertThat(summary.path("level").asText()).isEqualTo("Proficient");
        assertThat(summary.path("framework").asText()).isEqualTo("Chemical Plant and System Operators v.26.05");
        assertThat(summary.path("occupation").asText()).isEqualTo("Chemical Plant and System Operators");
        assertThat(summary.path("statements")).hasSize(3);
        assertThat(summary.at("/statements/0/code").asText()).isEqualTo("51-8091.00@v.26.05/proficient/1");
        assertThat(summary.at("/issuer/id").asText()).isEqualTo(issuer.base() + "/issuer");
        assertThat(summary.at("/issuer/name").asText()).isEqualTo("Example Plant Training Center");
        assertThat(summary.path("issued").asText()).isNotBlank();
        assertThat(summary.path("expires").asText()).isNotBlank();
    }

    @Test
    void aUrlIsFetchedAndItsCredentialVerified() throws Exception {
        String body = JSON.createObjectNode().put("url", issuer.url(Case.REVOKED)).toString();
        JsonNode report = JSON.readTree(post("application/json", body).body());
        assertThat(report.path("verdict").asText()).isEqualTo("not-verified");
        assertThat(report.at("/checks/0/name").asText()).isEqualTo("input");
        assertThat(report.at("/summary/status/state").asText()).isEqualTo("revoked");
    }

    @Test
    void anEnvelopedCredentialIsVerified() throws Exception {
        String body = JSON.createObjectNode().put("@context", "https://www.w3.org/ns/credentials/v2")
                .put("type", "EnvelopedVerifiableCredential")
                .put("id", "data:application/vc+jwt," + issuer.jws(Case.VALID)).toString();
        assertThat(JSON.readTree(post("application/json", body).body()).path("verdict").asText()).isEqualTo("verified");
    }

    @Test
    void aDataIntegrityCredentialIsVerifiedThroughTheIssuersDidWebAndATamperedOneIsNot() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode secured = issuer.dataIntegrityCredential(Case.VALID);

        JsonNode report = JSON.readTree(post("application/json", secured.toString()).body());
        secured.put("name", "Something else");
        JsonNode tampered = JSON.readTree(post("application/json", secured.toString()).body());

        assertThat(report.path("verdict").asText()).as(report.toString()).isEqualTo("verified");
        assertThat(report.toString()).contains("eddsa-rdfc-2022");
        assertThat(tampered.path("verdict").asText()).isEqualTo("not-verified");
    }

    @Test
    void aPlainJsonCredentialIsNotVerified() throws Exception {
        String credential = issuer.credential(Case.VALID, java.time.Instant.now(), java.time.Instant.now().plusSeconds(3600)).toString();
        JsonNode report = JSON.readTree(post("application/json", credential).body());
        assertThat(report.path("verdict").asText()).isEqualTo("not-verified");
        assertThat(report.at("/checks/0/explanation").asText()).contains("unsigned copy");
        assertThat(report.has("summary")).isTrue();
        assertThat(report.path("summary").isNull()).isTrue();
    }

    @Test
    void plainHttpIsFetchedOnlyFromAllowedHosts() throws Exception {
        String body = JSON.createObjectNode().put("url", "http://localhost:" + URI.create(issuer.base()).getPort()
                + "/credentials/valid").toString();
        JsonNode report = JSON.readTree(post("application/json", body).body());
        assertThat(report.path("verdict").asText()).isEqualTo("cannot-tell");
        assertThat(report.at("/checks/0/reason").asText()).contains("plain HTTP").contains("127.0.0.1");
    }

    @Test
    void unreadableInputIsA400Problem() throws Exception {
        HttpResponse<String> response = post("application/json", "{\"url\": ");
        assertProblem(response, 400);
        assertProblem(post("application/json", "{\"url\": \"ftp://example.com/x\"}"), 400);
        assertProblem(post("application/jwt", "   "), 400);
    }

    /** Found by VerifyApiFuzzTest: Jackson's nesting limit has no location, and reading it was a 500. */
    @Test
    void jsonNestedBeyondTheParsersLimitIsA400Problem() throws Exception {
        HttpResponse<String> response = post("application/json", "[".repeat(5_000));
        assertProblem(response, 400);
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("nested too deep");
    }

    @Test
    void aTooLargeBodyIsA413Problem() throws Exception {
        assertProblem(post("application/jwt", "a".repeat(1024 * 1024 + 1)), 413);
    }

    @Test
    void anotherMediaTypeIsA415Problem() throws Exception {
        HttpResponse<String> response = post("application/xml", "<credential/>");
        assertProblem(response, 415);
        assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("application/jwt");
    }

    @Test
    void theOpenApiDocumentDescribesTheRouteAndTheReportItAnswers() throws Exception {
        JsonNode document = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + VerifyRoutes.OPENAPI_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("paths").fieldNames()).toIterable().containsExactly("/v1/verify");
        JsonNode example = document.at("/paths/~1v1~1verify/post/responses/200/content/application~1json/example");
        JsonNode actual = JSON.readTree(post("application/jwt", issuer.jws(Case.REVOKED)).body());
        assertThat(actual.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> example.fieldNames());
        assertThat(actual.path("summary").fieldNames()).toIterable()
                .containsExactlyInAnyOrderElementsOf(() -> example.path("summary").fieldNames());
        assertThat(document.at("/components/schemas/Report/properties/checks/items/properties/outcome/enum").toString())
                .isEqualTo("[\"pass\",\"fail\",\"cannot-tell\"]");
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("https://credpipe.io/problems/");
        assertThat(problem.path("title").asText()).isNotBlank();
        // Never a stack trace or a class name.
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.credpipe").doesNotContain("\tat ");
    }

    private static HttpResponse<String> post(String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/v1/verify"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
