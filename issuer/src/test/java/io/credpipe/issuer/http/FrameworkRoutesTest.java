package io.credpipe.issuer.http;

import io.credpipe.issuer.Fixtures;

import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameworkRoutesTest {

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Framework chemical = Fixtures.chemical();
    private Javalin http;

    @BeforeEach
    void server() {
        http = Javalin.create(config -> config.showJavalinBanner = false);
        http.exception(ProblemException.class, (e, ctx) -> ctx.status(e.problem().status()).result(e.problem().detail()));
        new FrameworkRoutes(id -> id.equals(chemical.id()) ? Optional.of(chemical) : Optional.empty(),
                new FrameworkPages(URLS)).addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    /** GETs the public URL's path from the test server. */
    private HttpResponse<String> get(String publicUrl, String accept) throws Exception {
        String path = publicUrl.substring(URLS.base().length());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theUrlsCredentialsAlignToResolveToJsonForMachines() throws Exception {
        var statement = chemical.statements(io.credpipe.model.framework.Level.PROFICIENT).get(2);

        HttpResponse<String> response = get(URLS.statement(statement.id()), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Vary")).hasValue("Accept");
        JsonNode page = mapper.readTree(response.body());
        assertThat(page.get("id").asText()).isEqualTo(URLS.statement(statement.id()));
        assertThat(page.get("shortName").asText()).isEqualTo(statement.shortName());
        JsonNode level = mapper.readTree(get(URLS.level(chemical.id(), io.credpipe.model.framework.Level.PROFICIENT), null).body());
        assertThat(level.get("statements")).hasSize(chemical.statements(io.credpipe.model.framework.Level.PROFICIENT).size());
        JsonNode framework = mapper.readTree(get(URLS.framework(chemical.id()), "*/*").body());
        assertThat(framework.get("levels")).hasSize(4);
    }

    @Test
    void browsersGetEscapedHtml() throws Exception {
        HttpResponse<String> response = get(URLS.framework(chemical.id()),
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("id=\"proficient\"")
                .contains(FrameworkPages.escape(chemical.title()));
        assertThat(FrameworkPages.escape("<script>\"&'")).isEqualTo("&lt;script&gt;&quot;&amp;&#39;");
    }

    @Test
    void unknownFrameworksLevelsAndStatementsAre404() throws Exception {
        assertThat(get(URLS.base() + "/frameworks/00-0000.00@v.1", null).statusCode()).isEqualTo(404);
        assertThat(get(URLS.framework(chemical.id()) + "/expert", null).statusCode()).isEqualTo(404);
        assertThat(get(URLS.framework(chemical.id()) + "/proficient/999", null).statusCode()).isEqualTo(404);
        assertThat(get(URLS.base() + "/frameworks/nonsense", null).statusCode()).isEqualTo(404);
    }
}
