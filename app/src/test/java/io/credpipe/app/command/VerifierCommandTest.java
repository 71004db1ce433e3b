package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.Credpipe;
import io.credpipe.app.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code credpipe verifier}: the verification service alone, without Kafka or issuer keys. */
class VerifierCommandTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servesThePageTheApiAndHealthWithNothingElse() throws Exception {
        try (HttpServer server = VerifierCommand.start("127.0.0.1", 0, Set.of())) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> page = get(base + "/verify");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Verify a credential");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'none'"));
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            JsonNode report = JSON.readTree(post(base, "application/jwt", "not.a.credential").body());
            assertThat(report.path("verdict").asText()).isEqualTo("not-verified");
        }
    }

    @Test
    void plainHttpIsFetchedOnlyFromTheHostsAllowed() throws Exception {
        try (HttpServer refusing = VerifierCommand.start("127.0.0.1", 0, Set.of());
                HttpServer allowing = VerifierCommand.start("127.0.0.1", 0, Set.of("127.0.0.1"))) {
            // Each asks the other for a credential that does not exist.
            String missing = "{\"url\": \"http://127.0.0.1:%d/v1/credentials/none\"}";
            JsonNode refused = JSON.readTree(post("http://127.0.0.1:" + refusing.port(), "application/json",
                    missing.formatted(allowing.port())).body());
            assertThat(refused.path("verdict").asText()).isEqualTo("cannot-tell");
            assertThat(refused.at("/checks/0/reason").asText()).contains("plain HTTP");
            JsonNode fetched = JSON.readTree(post("http://127.0.0.1:" + allowing.port(), "application/json",
                    missing.formatted(refusing.port())).body());
            assertThat(fetched.path("verdict").asText()).isEqualTo("cannot-tell");
            assertThat(fetched.at("/checks/0/reason").asText()).contains("HTTP 404");
        }
    }

    @Test
    void isACommandWithItsOptions() {
        var spec = Credpipe.commandLine().getSubcommands().get("verifier").getCommandSpec();
        assertThat(spec.findOption("--allow-http-host")).isNotNull();
        assertThat(spec.findOption("--allow-http-host").isMultiValue()).isTrue();
        assertThat(spec.findOption("--http-port")).isNotNull();
        assertThat(spec.findOption("--http-host")).isNotNull();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String base, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/verify")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
