package io.credpipe.verifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.http.LocalIssuer.Case;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the page sends besides its text: security headers, escaping, status codes. */
class VerifyPageHttpTest {

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

    @Test
    void everyPageAndTheStylesheetCarryTheSecurityHeaders() throws Exception {
        for (String path : new String[] {"/verify", "/verify?url=" + URLEncoder.encode(issuer.url(Case.VALID), StandardCharsets.UTF_8),
                "/verify?url=nonsense", "/verify.css"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).hasValue(
                    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
        assertThat(get("/verify.css").headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        HttpResponse<String> page = get("/verify");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        // Nothing external: one same-origin stylesheet, no scripts, a viewport for phones.
        assertThat(page.body()).contains("<link rel=\"stylesheet\" href=\"/verify.css\">")
                .contains("name=\"viewport\"").doesNotContain("<script").doesNotContain("https://fonts");
    }

    @Test
    void whatTheCredentialSaysIsEscapedAndOnlyHttpLinksAreLinks() throws Exception {
        ObjectNode credential = issuer.credential(Case.VALID, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(9)));
        credential.remove("credentialStatus");
        ((ObjectNode) credential.at("/credentialSubject/identifier/0")).put("identityHash", "<script>alert(1)</script>");
        ArrayNode alignments = (ArrayNode) credential.at("/credentialSubject/achievement/alignment");
        ((ObjectNode) alignments.get(0)).put("targetUrl", "javascript:alert(2)").put("targetName", "Evil \"link\"");
        issuer.serve("/credentials/hostile", issuer.signed(credential));

        HttpResponse<String> response = get("/verify?url=" + URLEncoder.encode(issuer.base() + "/credentials/hostile", StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data-headline=\"verified\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
                .doesNotContain("javascript:").contains("<li>Evil \"link\" <span");
    }

    @Test
    void aUrlThatIsNotOneIsA400Page() throws Exception {
        HttpResponse<String> response = get("/verify?url=" + URLEncoder.encode("file:///etc/passwd", StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Cannot read the credential").contains("not an http(s) URL");
    }

    @Test
    void anEmptyFormIsA400Page() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/verify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("credential=")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Paste a credential or choose its file");
    }

    @Test
    void aPastedFormIsVerified() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/verify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("credential=" + URLEncoder.encode(issuer.jws(Case.REVOKED), StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data-headline=\"revoked\"");
    }

    @Test
    void aPastedDataIntegrityCredentialIsVerifiedAndARevokedOneSaysRevoked() throws Exception {
        for (Case c : new Case[] {Case.VALID, Case.REVOKED}) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/verify"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("credential="
                            + URLEncoder.encode(issuer.dataIntegrityCredential(c).toString(), StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains(c == Case.VALID ? "data-headline=\"verified\"" : "data-headline=\"revoked\"");
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
