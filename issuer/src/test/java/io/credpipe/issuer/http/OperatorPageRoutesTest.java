package io.credpipe.issuer.http;

import static io.credpipe.issuer.Fixtures.DANA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.issuer.delivery.AccessToken;
import io.credpipe.model.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access links and the operator's page over a real Javalin server: create and revoke links with an
 * HR key, the page's content and headers, downloads, and the same 404 page for every token that
 * opens nothing.
 */
class OperatorPageRoutesTest {

    @TempDir
    Path temp;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();
    private OperatorPageServer server;

    @BeforeEach
    void start() throws Exception {
        server = new OperatorPageServer(temp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : server.base() + url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String operatorPath() {
        return "/v1/operators/" + URLEncoder.encode(DANA.id(), StandardCharsets.UTF_8) + "/access-links";
    }

    @Test
    void anHrSourceCreatesALinkThatOpensThePage() throws Exception {
        HttpResponse<String> created = send("POST", operatorPath(), OperatorPageServer.HR_KEY, "{\"validFor\":\"P7D\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode link = mapper.readTree(created.body());
        String url = link.path("url").asText();
        assertThat(url).startsWith(server.base() + "/o/");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(link.path("id").asText()).isEqualTo(AccessToken.hash(token));
        assertThat(link.path("operatorId").asText()).isEqualTo(DANA.id());
        assertThat(Instant.parse(link.path("expiresAt").asText())).isEqualTo(OperatorPageServer.NOW.plusSeconds(7 * 86400));
        // Only the hash is kept.
        assertThat(server.store.links).containsOnlyKeys(AccessToken.hash(token));

        HttpResponse<String> page = send("GET", url, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Dana Ruiz: your credentials");
    }

    @Test
    void creatingALinkNeedsAKeyAndASensibleValidity() throws Exception {
        assertThat(send("POST", operatorPath(), null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", operatorPath(), "wrong", null).statusCode()).isEqualTo(401);
        HttpResponse<String> tooLong = send("POST", operatorPath(), OperatorPageServer.HR_KEY, "{\"validFor\":\"P400D\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("invalid-link-request");
        assertThat(send("POST", operatorPath(), OperatorPageServer.HR_KEY, "{\"validFor\":\"soon\"}").statusCode())
                .isEqualTo(400);
        assertThat(server.store.links).isEmpty();
        HttpResponse<String> standard = send("POST", operatorPath(), OperatorPageServer.HR_KEY, null);
        assertThat(Instant.parse(mapper.readTree(standard.body()).path("expiresAt").asText()))
                .isEqualTo(OperatorPageServer.NOW.plusSeconds(30L * 86400));
    }

    @Test
    void aRevokedLinkShowsTheSameNotFoundPageAsAnUnknownOne() throws Exception {
        JsonNode link = mapper.readTree(send("POST", operatorPath(), OperatorPageServer.HR_KEY, null).body());
        String url = link.path("url").asText();
        assertThat(send("GET", url, null, null).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", operatorPath() + "/" + link.path("id").asText(), null, null).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/v1/operators/someone-else/access-links/" + link.path("id").asText(),
                OperatorPageServer.HR_KEY, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", operatorPath() + "/" + link.path("id").asText(), OperatorPageServer.HR_KEY, null)
                .statusCode()).isEqualTo(204);

        HttpResponse<String> revoked = send("GET", url, null, null);
        HttpResponse<String> unknown = send("GET", "/o/" + AccessToken.generate(new SecureRandom()), null, null);
        HttpResponse<String> garbage = send("GET", "/o/not-a-token", null, null);
        for (HttpResponse<String> answer : new HttpResponse[] {revoked, unknown, garbage}) {
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(answer.body()).contains("This link does not open a page").doesNotContain("Dana");
            assertThat(answer.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
        assertThat(revoked.body()).isEqualTo(unknown.body()).isEqualTo(garbage.body());
    }

    @Test
    void revokingEveryLinkOfAnOperator() throws Exception {
        String first = server.danasPage();
        String second = server.danasPage();
        HttpResponse<String> answer = send("DELETE", operatorPath(), OperatorPageServer.HR_KEY, null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(answer.body()).path("revoked").asInt()).isEqualTo(2);
        assertThat(send("GET", first, null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", second, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void thePageShowsCredentialsInWordsAndTheLadderUnderAStrictPolicy() throws Exception {
        String url = server.danasPage();
        String token = url.substring(url.lastIndexOf('/') + 1);
        HttpResponse<String> page = send("GET", url, null, null);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").doesNotContain("script-src"));
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        String html = page.body();
        assertThat(html).doesNotContain("<script").doesNotContain("https://").contains("name=\"viewport\"");
        // Newest first: Developing (valid, expiring), Proficient (revoked), Emerging (valid).
        assertThat(html.indexOf("data-credential=\"" + server.developing.credentialId()))
                .isLessThan(html.indexOf("data-credential=\"" + server.proficient.credentialId()))
                .isLessThan(html.indexOf("data-credential=\"" + server.emerging.credentialId()));
        assertThat(html).contains("data-credential=\"" + server.proficient.credentialId() + "\" data-status=\"revoked\"")
                .contains("data-credential=\"" + server.developing.credentialId() + "\" data-status=\"valid\"")
                .contains("10 June 2026")
                .contains("Does not expire");
        // Wallet offers only for valid credentials, under the page's path; share links through the verify page.
        assertThat(html).contains("href=\"/o/" + token + "/wallet/" + server.developing.credentialId() + "\"")
                .doesNotContain("/wallet/" + server.proficient.credentialId())
                .contains(server.base() + "/verify?url=" + URLEncoder.encode(server.base() + "/credentials/"
                        + server.emerging.credentialId(), StandardCharsets.UTF_8));
        // The ladder: Advanced on top, 7 of 10 on Proficient, with missing statements named.
        int advanced = html.indexOf("data-level=\"Advanced\" data-state=\"open\"");
        int proficient = html.indexOf("data-level=\"Proficient\" data-state=\"progress\"");
        int developing = html.indexOf("data-level=\"Developing\" data-state=\"met\"");
        int emerging = html.indexOf("data-level=\"Emerging\" data-state=\"met\"");
        assertThat(advanced).isPositive().isLessThan(proficient);
        assertThat(proficient).isLessThan(developing);
        assertThat(developing).isLessThan(emerging);
        assertThat(html).contains("7 of 10 statements demonstrated").contains("Still to demonstrate")
                .contains("Valid until 10 June 2026 unless renewed");
    }

    @Test
    void credentialsDownloadAsJwtAndJsonOnlyThroughTheirHoldersLink() throws Exception {
        String url = server.danasPage();
        String id = server.emerging.credentialId();
        HttpResponse<String> jwt = send("GET", url + "/credentials/" + id + ".jwt", null, null);
        assertThat(jwt.statusCode()).isEqualTo(200);
        assertThat(jwt.body()).isEqualTo(server.emerging.jwt());
        assertThat(jwt.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"" + id + ".jwt\"");
        HttpResponse<String> json = send("GET", url + "/credentials/" + id + ".json", null, null);
        assertThat(mapper.readTree(json.body()).path("id").asText()).isEqualTo(server.base() + "/credentials/" + id);

        String someoneElse = server.links.create("acme:E9999", "test", null).url();
        assertThat(send("GET", someoneElse + "/credentials/" + id + ".jwt", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", url + "/credentials/" + id + ".txt", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", someoneElse, null, null).body()).contains("You hold no credential yet");
    }
}
