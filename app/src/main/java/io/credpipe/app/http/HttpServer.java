package io.credpipe.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
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

    private static final String HOLDS_UPLOAD_SLOT = "credpipe.upload-slot";
    /** Operators' private pages: their paths carry a secret token (see {@code AccessLinks.PATH_PREFIX}). */
    private static final String OPERATOR_PAGES = "/o/";
    private static final String REDACTED = "[token]";

    private final Javalin javalin;
    private final ObjectMapper mapper = Json.newMapper();
    private final Semaphore uploads;
    private final ProblemTypes problemTypes = ProblemTypes.bundled();
    private final FailureLog failures = new FailureLog(java.time.Clock.systemUTC(), FailureLog.DEFAULT_INTERVAL,
            new FailureLog.Sink() {
                @Override
                public void trace(String line, Throwable error) {
                    log.error(line, error);
                }

                @Override
                public void counted(String line) {
                    log.debug(line);
                }
            });

    /**
     * How long and how many request bodies may be read at once. Every body read blocks a server
     * thread; without a bound, clients that announce a body and never send it hold all of them and
     * even {@code /health/ready} stops answering.
     *
     * @param concurrentUploads requests with a body read at the same time; more are answered 503
     *     with {@code Retry-After}
     * @param readTimeout how long a blocked read (or write) may wait for the client; then 408
     */
    public record Limits(int concurrentUploads, Duration readTimeout) {

        /** 32 bodies at once (a few per HR system, of Jetty's ~200 threads); 10 s without a byte. */
        public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(10));
    }

    /**
     * Every route the server serves, as {@code "METHOD path"} (e.g. {@code "GET /v1/frameworks/{id}"}),
     * read from the running server's router: what its OpenAPI documents must cover. Before and after
     * handlers and the implicit {@code HEAD} routes are left out.
     *
     * @return the routes, sorted
     */
    public java.util.SortedSet<String> routes() {
        java.util.SortedSet<String> routes = new java.util.TreeSet<>();
        for (io.javalin.router.ParsedEndpoint endpoint : javalin.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            io.javalin.http.HandlerType method = endpoint.getEndpoint().getMethod();
            if (method.isHttpMethod() && method != io.javalin.http.HandlerType.HEAD) {
                routes.add(method.name() + " " + endpoint.getEndpoint().getPath());
            }
        }
        return routes;
    }

    /**
     * A server whose {@code /health/live} answers 200 while it serves at all.
     *
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param routes each service's {@code addRoutes}
     */
    public HttpServer(List<ReadinessCheck> readiness, List<Consumer<Javalin>> routes) {
        this(readiness, List.of(), routes, Limits.DEFAULT);
    }

    /**
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param liveness checks that must all pass for {@code /health/live} to answer 200: conditions a
     *     restart of the process cures and waiting does not, e.g. a Kafka Streams client that died
     * @param routes each service's {@code addRoutes}
     */
    public HttpServer(List<ReadinessCheck> readiness, List<ReadinessCheck> liveness, List<Consumer<Javalin>> routes) {
        this(readiness, liveness, routes, Limits.DEFAULT);
    }

    /**
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param routes each service's {@code addRoutes}
     * @param limits bounds on reading request bodies
     */
    public HttpServer(List<ReadinessCheck> readiness, List<Consumer<Javalin>> routes, Limits limits) {
        this(readiness, List.of(), routes, limits);
    }

    /**
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param liveness checks that must all pass for {@code /health/live} to answer 200
     * @param routes each service's {@code addRoutes}
     * @param limits bounds on reading request bodies
     */
    public HttpServer(List<ReadinessCheck> readiness, List<ReadinessCheck> liveness, List<Consumer<Javalin>> routes,
            Limits limits) {
        this(readiness, liveness, routes, limits, TrustedProxies.NONE);
    }

    /**
     * @param readiness checks that must all pass for {@code /health/ready} to answer 200
     * @param liveness checks that must all pass for {@code /health/live} to answer 200
     * @param routes each service's {@code addRoutes}
     * @param limits bounds on reading request bodies
     * @param proxies the reverse proxies whose {@code X-Forwarded-For} names the client
     */
    public HttpServer(List<ReadinessCheck> readiness, List<ReadinessCheck> liveness, List<Consumer<Javalin>> routes,
            Limits limits, TrustedProxies proxies) {
        this.uploads = new Semaphore(limits.concurrentUploads());
        this.javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(Json.newMapper(), false));
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            // Jetty's timeout for a read or write blocked on the client (HttpConfiguration#setIdleTimeout).
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(limits.readTimeout().toMillis());
                // Before any handler: ctx.ip() is then the client's address behind a trusted proxy.
                http.addCustomizer(proxies);
            });
            // Javalin answers a body read that failed on Jetty's EofException (the body ended before its
            // Content-Length, or its chunking is broken) or timed out with these statuses, before any
            // exception handler runs; the after-handler below turns them into problems. Both are the
            // client's doing, so neither is a 500.
            config.jetty.clientAbortStatus = 400;
            config.jetty.timeoutStatus = 408;
            config.requestLogger.http((ctx, millis) -> log.debug("{} {} {} {} ms",
                    ctx.method(), loggedPath(ctx.path()), ctx.status().getCode(), Math.round(millis)));
        });
        javalin.before(ctx -> {
            String requestId = requestIdOf(ctx);
            ctx.header(REQUEST_ID, requestId);
            MDC.put("requestId", requestId);
            if (hasBody(ctx)) {
                if (!uploads.tryAcquire()) {
                    throw new ProblemException(Problem.of("busy", "Too many uploads at once", 503,
                            "The server is reading as many request bodies as it takes at once. Retry shortly."),
                            Map.of("Retry-After", "1"));
                }
                ctx.attribute(HOLDS_UPLOAD_SLOT, Boolean.TRUE);
            }
        });
        javalin.after(ctx -> {
            Problem unreadBody = unreadBody(ctx);
            if (unreadBody != null) {
                log.info("request {} {} refused: {} (request id {})", ctx.method(), loggedPath(ctx.path()), unreadBody.detail(), requestIdOf(ctx));
                render(ctx, unreadBody);
            }
            if (ctx.attribute(HOLDS_UPLOAD_SLOT) != null) {
                ctx.attribute(HOLDS_UPLOAD_SLOT, null);
                uploads.release();
            }
            MDC.remove("requestId");
        });
        javalin.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            render(ctx, e.problem());
        });
        javalin.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromJavalin(e)));
        javalin.exception(Exception.class, (e, ctx) -> {
            // Log the cause for operators, once per cause and minute; tell the client only that it
            // happened and its request id.
            failures.failed(ctx.method() + " " + loggedPath(ctx.path()), requestIdOf(ctx), e);
            render(ctx, Problem.of("internal-error", "Internal error", 500,
                    "The request could not be completed. Quote request id " + requestIdOf(ctx) + " when reporting it."));
        });
        javalin.get(ProblemTypes.PATH + "{slug}", problemTypes::serve);
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
        if (problem.type().startsWith(Problem.TYPE_BASE)) {
            // The type's page on this deployment (RFC 8288 link; RFC 9457 §3.1.1 asks type URIs to be documented).
            ctx.header("Link", "<" + ProblemTypes.PATH + problem.type().substring(Problem.TYPE_BASE.length()) + ">; rel=\"describedby\"");
        }
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
            default -> Problem.of("http-error", "HTTP error", e.getStatus(), e.getMessage());
        };
    }

    /**
     * The path as logs may show it: the token of an operator's private link ({@code /o/{token}/…})
     * replaced by {@value #REDACTED}, since whoever reads the logs must not be able to open the page.
     */
    static String loggedPath(String path) {
        if (path == null || !path.startsWith(OPERATOR_PAGES)) {
            return path;
        }
        int end = path.indexOf('/', OPERATOR_PAGES.length());
        return OPERATOR_PAGES + REDACTED + (end < 0 ? "" : path.substring(end));
    }

    /** Whether the request carries a body to read (RFC 9112 §6.3: Content-Length or chunked). */
    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /**
     * The problem for a request whose body could not be read, recognised by the status Javalin set
     * (see {@code clientAbortStatus} / {@code timeoutStatus} above) on a response nothing was written to.
     */
    private static Problem unreadBody(Context ctx) {
        if (ctx.resultInputStream() != null || !hasBody(ctx)) {
            return null;
        }
        return switch (ctx.res().getStatus()) {
            case 408 -> Problem.of("request-timeout", "Request timeout", 408,
                    "The request body stopped arriving before it was complete.");
            case 400 -> Problem.of("bad-request", "Bad request", 400,
                    "The request body ended before its announced length, or its chunked framing is broken (RFC 9112 §6-7).");
            default -> null;
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
