package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.testing.KafkaBroker;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The progress route over real HTTP, as the integration tests serve and ask it. */
final class ProgressRoute {

    /** The one API key the route admits in these tests. */
    static final String KEY = "progress-reader-key";
    static final Authenticator KEYS = key -> KEY.equals(key) ? Optional.of(new Caller("hr1", false)) : Optional.empty();

    private ProgressRoute() {}

    /** An HTTP server with the progress route mounted as the app mounts it; stop it when done. */
    static Javalin serve(EvaluatorService evaluator, int port) {
        Javalin http = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(Json.newMapper(), false));
        });
        http.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            ctx.status(e.problem().status()).contentType("application/problem+json").json(e.problem());
        });
        evaluator.addRoutes(http, KEYS);
        return http.start("127.0.0.1", port);
    }

    /**
     * The body of a 200 answer for {@code operatorId}, asked with {@link #KEY}. Right after a start
     * the group may still be settling and the route says so (503, or 500 where no app renders
     * problems), so it is asked again until it answers 200 or the patience runs out.
     */
    static String awaitReport(int port, String operatorId) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String path = "/v1/operators/" + URLEncoder.encode(operatorId, StandardCharsets.UTF_8).replace("+", "%20") + "/progress";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).GET().build();
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** One answer of the route for {@code operatorId}, asked with {@link #KEY}. */
    static HttpResponse<String> get(int port, String operatorId) throws Exception {
        String path = "/v1/operators/" + URLEncoder.encode(operatorId, StandardCharsets.UTF_8).replace("+", "%20") + "/progress";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
