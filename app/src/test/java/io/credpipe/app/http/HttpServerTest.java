package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private volatile boolean ready = true;

    @BeforeEach
    void start() {
        server = new HttpServer(List.of(HttpServer.ReadinessCheck.of("kafka", () -> ready)), List.of(http -> {
            http.get("/teapot", ctx -> {
                throw new ProblemException(Problem.of("teapot", "I am a teapot", 418, "short and stout")
                        .withErrors(List.of(new Problem.FieldError("/spout", "missing"))));
            });
            http.get("/busy", ctx -> {
                throw new ProblemException(Problem.of("busy", "Busy", 503, "try later"), java.util.Map.of("Retry-After", "5"));
            });
            http.get("/boom", ctx -> {
                throw new IllegalStateException("secret internal detail");
            });
            http.post("/only-post", ctx -> ctx.result("ok"));
        })).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void problemExceptionIsRenderedAsProblemJson() throws Exception {
        HttpResponse<String> response = get("/teapot");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"type\":\"https://credpipe.io/problems/teapot\"", "\"status\":418",
                "\"pointer\":\"/spout\"");
        assertThat(response.headers().firstValue(HttpServer.REQUEST_ID)).isPresent();
    }

    @Test
    void problemHeadersAreSent() throws Exception {
        HttpResponse<String> response = get("/busy");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
    }

    @Test
    void unexpectedErrorsHideTheirDetailAndStack() throws Exception {
        HttpResponse<String> response = get("/boom");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("internal-error")
                .contains(response.headers().firstValue(HttpServer.REQUEST_ID).orElseThrow())
                .doesNotContain("secret internal detail", "IllegalStateException", "at io.credpipe");
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() throws Exception {
        HttpResponse<String> missing = get("/nowhere");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("https://credpipe.io/problems/not-found");
        HttpResponse<String> wrongMethod = get("/only-post");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).contains("https://credpipe.io/problems/method-not-allowed");
    }

    @Test
    void livenessFollowsItsOwnChecks() throws Exception {
        boolean[] alive = {true};
        try (HttpServer live = new HttpServer(List.of(), List.of(HttpServer.ReadinessCheck.of("evaluator", () -> alive[0])),
                List.of()).start("127.0.0.1", 0)) {
            URI uri = URI.create("http://127.0.0.1:" + live.port() + "/health/live");
            assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            alive[0] = false;
            HttpResponse<String> dead = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dead.statusCode()).isEqualTo(503);
            assertThat(dead.body()).contains("\"evaluator\":\"down\"");
        }
    }

    @Test
    void readinessFollowsChecks() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        ready = false;
        HttpResponse<String> down = get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"kafka\":\"down\"");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void callersRequestIdIsEchoedOnlyWhenHarmless() throws Exception {
        HttpResponse<String> echoed = client.send(HttpRequest.newBuilder(uri("/health/live")).header(HttpServer.REQUEST_ID, "abc-123").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echoed.headers().firstValue(HttpServer.REQUEST_ID)).contains("abc-123");
        HttpResponse<String> replaced = client.send(HttpRequest.newBuilder(uri("/health/live")).header(HttpServer.REQUEST_ID, "a b\tc").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replaced.headers().firstValue(HttpServer.REQUEST_ID)).hasValueSatisfying(v -> assertThat(v).isNotEqualTo("a b\tc"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void theTokenOfAnOperatorsLinkNeverReachesTheLogs() {
        String token = "Qx7cN1mH0b9kz3V4pW2sYtR8uE6fG5aJdL0oKiUyTrA";
        assertThat(HttpServer.loggedPath("/o/" + token)).isEqualTo("/o/[token]");
        assertThat(HttpServer.loggedPath("/o/" + token + "/wallet/abc")).isEqualTo("/o/[token]/wallet/abc")
                .doesNotContain(token);
        assertThat(HttpServer.loggedPath("/v1/operators/acme:E1/access-links")).isEqualTo("/v1/operators/acme:E1/access-links");
        assertThat(HttpServer.loggedPath("/")).isEqualTo("/");
    }
}
