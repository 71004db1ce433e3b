package io.credpipe.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one HTTP server of a credpipe process. Services add their routes; this class owns what every
 * route shares: JSON conventions, request ids, health endpoints, and errors as RFC 9457
 * {@code application/problem+json} with no stack trace ever reaching a client.
 */
public final class HttpServer implements AutoCloseable {

    /** RFC 9457 §3: the media type of problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Echoed on every response and put in every log line of the request. */
    public static final String REQUEST_ID = "X-Request-Id";

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final long MAX_REQUEST_BYTES = 10L * 1024 * 1024;

    private final Javalin javalin;
    private final ObjectMapper mapper = Json.newMapper();

    /**
     * A server whose {@code /health/live} answers 200 while it serves at all.
     *
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param routes each service's {@code addRoutes}
     */
    public HttpServer(List<ReadinessCheck> readiness, List<Consumer<Javalin>> routes) {
        this(readiness, List.of(), routes);
    }

    /**
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param liveness checks that must all pass for {@code /health/live} to answer 200: conditions a
     *     restart of the process cures and waiting does not, e.g. a Kafka Streams client that died
     * @param routes each service's {@code addRoutes}
     */
    public HttpServer(List<ReadinessCheck> readiness, List<ReadinessCheck> liveness, List<Consumer<Javalin>> routes) {
        this.javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(Json.newMapper(), false));
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.requestLogger.http((ctx, millis) -> log.debug("{} {} {} {} ms",
                    ctx.method(), ctx.path(), ctx.status().getCode(), Math.round(millis)));
        });
        javalin.before(ctx -> {
            String requestId = requestIdOf(ctx);
            ctx.header(REQUEST_ID, requestId);
            MDC.put("requestId", requestId);
        });
        javalin.after(ctx -> MDC.remove("requestId"));
        javalin.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            render(ctx, e.problem());
        });
        javalin.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromJavalin(e)));
        javalin.exception(Exception.class, (e, ctx) -> {
            // Log the cause for operators; tell the client only that it happened and its request id.
            log.error("request {} {} failed (request id {})", ctx.method(), ctx.path(), requestIdOf(ctx), e);
            render(ctx, Problem.of("internal-error", "Internal error", 500,
                    "The request could not be completed. Quote request id " + requestIdOf(ctx) + " when reporting it."));
        });
        javalin.get("/health/live", ctx -> health(ctx, liveness));
        javalin.get("/health/ready", ctx -> health(ctx, readiness));
        routes.forEach(r -> r.accept(javalin));
    }

    private static void health(Context ctx, List<ReadinessCheck> conditions) {
        Map<String, String> checks = new java.util.LinkedHashMap<>();
        boolean up = true;
        for (ReadinessCheck check : conditions) {
            boolean ok = check.ready();
            checks.put(check.name(), ok ? "up" : "down");
            up &= ok;
        }
        ctx.status(up ? 200 : 503).json(Map.of("status", up ? "up" : "down", "checks", checks));
    }

    /** Starts listening; port 0 picks a free one. */
    public HttpServer start(String host, int port) {
        javalin.start(host, port);
        log.info("HTTP on http://{}:{}", host, javalin.port());
        return this;
    }

    /** The port actually bound. */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    private void render(Context ctx, Problem problem) {
        ctx.status(problem.status());
        try {
            ctx.contentType(PROBLEM_JSON).result(mapper.writeValueAsBytes(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Problem always serialises", e);
        }
    }

    private static Problem fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> Problem.of("not-found", "Not found", 404, "No resource at this URL.");
            case 405 -> Problem.of("method-not-allowed", "Method not allowed", 405, "This URL does not accept that method.");
            case 413 -> Problem.of("payload-too-large", "Payload too large", 413,
                    "Request bodies are limited to " + MAX_REQUEST_BYTES + " bytes.");
            default -> Problem.of("http-" + e.getStatus(), "HTTP " + e.getStatus(), e.getStatus(), e.getMessage());
        };
    }

    private static String requestIdOf(Context ctx) {
        String existing = ctx.res().getHeader(REQUEST_ID);
        if (existing != null) {
            return existing;
        }
        String sent = ctx.header(REQUEST_ID);
        // Accept a caller's id only if it is short and harmless in logs.
        if (sent != null && sent.matches("[A-Za-z0-9._-]{1,64}")) {
            return sent;
        }
        return UUID.randomUUID().toString();
    }

    /** One condition for readiness, e.g. "Kafka reachable" or "evaluator running". */
    public interface ReadinessCheck {
        /** Short name shown in {@code /health/ready}. */
        String name();

        /** Whether the condition holds now; must answer quickly. */
        boolean ready();

        /** A check from a name and a condition. */
        static ReadinessCheck of(String name, java.util.function.BooleanSupplier condition) {
            return new ReadinessCheck() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public boolean ready() {
                    return condition.getAsBoolean();
                }
            };
        }
    }
}
