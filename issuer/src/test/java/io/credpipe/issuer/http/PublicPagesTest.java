package io.credpipe.issuer.http;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's home page ({@code issuer.url}) and a credential's {@code id} dereference, for people and machines. */
class PublicPagesTest {

    /** A name that breaks a page that does not escape. */
    private static final IssuerProfile ISSUER = IssuerProfile.of(URLS, "Example <Chemicals> & \"Training\"");

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private IssuedCredential issued;
    private JsonNode credential;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys keys = new PublishedKeys(issuerKeys, URLS);
        CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
        issued = new CredentialIssuer(assembler, issuerKeys.identitySalts(), keys.signer(),
                Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC))
                .issue(Fixtures.proficient(DANA), Fixtures.chemical(), new StatusLists(URLS).entry("0-0", 3));
        credential = CredentialSigner.signedDocument(issued.jwt());
        Map<String, IssuedCredential> store = Map.of(issued.credentialId(), issued);
        DidWebDocument did = new DidWebDocument(URLS);
        PublicPages pages = new PublicPages(ISSUER, URLS, did, () -> List.of(Fixtures.chemical()));
        http = ProblemServer.create();
        pages.addTo(http);
        new IssuerRoutes(assembler.profile(), keys, id -> Optional.ofNullable(store.get(id)), did, pages).addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    /** GET of a public URL of the issuer, on the test server. */
    private HttpResponse<String> get(String publicUrl, String accept) throws Exception {
        assertThat(publicUrl).startsWith(URLS.base());
        String path = publicUrl.substring(URLS.base().length());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                + (path.isEmpty() ? "/" : path)));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theIssuersUrlAnswersHtmlForABrowserEscapedAndUnderAStrictPolicy() throws Exception {
        String url = credential.at("/issuer/url").asText();
        assertThat(url).isEqualTo(URLS.base());

        HttpResponse<String> page = get(url, "text/html,application/xhtml+xml,*/*;q=0.8");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").doesNotContain("unsafe").doesNotContain("http"));
        assertThat(page.body())
                .contains("Example &lt;Chemicals&gt; &amp; \"Training\"").doesNotContain("<Chemicals>")
                .contains("name=\"viewport\"")
                .contains(URLS.jwks()).contains("did:web:credentials.example.com")
                .contains(URLS.framework(Fixtures.CHEMICAL)).contains(URLS.base() + "/verify")
                .doesNotContain("<script");
        String stylesheet = URLS.base() + PublicPages.STYLESHEET_PATH;
        assertThat(page.body()).contains("href=\"" + stylesheet + "\"");
        assertThat(get(stylesheet, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theIssuersUrlAnswersJsonForAMachine() throws Exception {
        HttpResponse<String> response = get(URLS.base(), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode home = mapper.readTree(response.body());
        assertThat(home.get("name").asText()).isEqualTo(ISSUER.name());
        assertThat(home.get("profile").asText()).isEqualTo(URLS.issuerProfile());
        assertThat(home.get("jwks").asText()).isEqualTo(URLS.jwks());
        assertThat(home.get("did").asText()).isEqualTo("did:web:credentials.example.com");
        assertThat(home.at("/frameworks/0/id").asText()).isEqualTo(Fixtures.CHEMICAL.toString());
        assertThat(home.has("stylesheet")).isFalse();
    }

    @Test
    void aCredentialsIdDereferencesToTheJwtTheJsonOrAPageThatLinksToVerification() throws Exception {
        String id = credential.get("id").asText();
        assertThat(id).isEqualTo(URLS.base() + "/credentials/" + issued.credentialId());

        HttpResponse<String> jwt = get(id, "application/jwt");
        assertThat(jwt.statusCode()).isEqualTo(200);
        assertThat(jwt.body()).as("exactly the compact JWS, no trailing byte").isEqualTo(issued.jwt());
        assertThat(jwt.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/jwt"));

        HttpResponse<String> json = get(id, null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(json.body()).at("/credential/id").asText()).isEqualTo(id);

        HttpResponse<String> page = get(id, "text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body()).contains("href=\"" + URLS.base() + "/verify?url="
                + URLEncoder.encode(id, StandardCharsets.UTF_8) + "\"")
                .contains(credential.get("name").asText().replace("—", "—"));
    }

    @Test
    void anUnknownCredentialIdIsAProblem() throws Exception {
        HttpResponse<String> response = get(URLS.base() + "/credentials/00000000-0000-0000-0000-000000000000", "text/html");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }
}
