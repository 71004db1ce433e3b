package io.credpipe.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API HR systems post assessment events to.
 *
 * <ul>
 *   <li>{@code POST /v1/assessments} with one event as {@code application/json}: {@code 202}
 *       {@code {"eventId": …, "status": "accepted"}} once the broker acknowledged it, {@code 200}
 *       with status {@code duplicate} when its {@code eventId} is already in the pipeline,
 *       {@code 400 invalid-event} (with a JSON Pointer per field at fault) or {@code 400
 *       malformed-json}, both recorded on {@code assessments-rejected}, {@code 403
 *       forbidden-source} when the event names another source than the key's.
 *   <li>The same route with an NDJSON batch ({@code application/x-ndjson}, one event per line):
 *       taken line by line, answered {@code 202} with an {@link IntakeReport} once every accepted
 *       and rejected line is acknowledged; bad lines do not stop good ones.
 *   <li>{@code POST /v1/assessments:import} with {@code text/csv} (columns in {@link CsvAssessments};
 *       {@code ?map=column:header,…} renames a file's headers): the same line-by-line report, line
 *       numbers being the file's, and each field error naming its column.
 *   <li>{@code POST /v1/frameworks} (admin key) with a framework in the LER export format: published
 *       to {@code frameworks}, {@code 201} with {@code Location} when new, {@code 200} when amended
 *       or unchanged, {@code 409 framework-conflict} when its statements differ from those already
 *       published under its id; {@code GET /v1/frameworks} lists them, {@code GET
 *       /v1/frameworks/{id}} serves one in the export format (both public: credentials link to them).
 *   <li>{@code GET /v1/schemas/assessment-event.json}: the JSON Schema events are validated against.
 * </ul>
 *
 * <p>Writes need an API key ({@code Authorization: Bearer}, RFC 6750 §2.1): none or an unknown one
 * is {@code 401} with {@code WWW-Authenticate: Bearer}; a known key that may not do what it asks is
 * {@code 403}. A key writes only events whose {@code source} is its own: the HR system states the
 * source and ingest checks it, rather than filling it in, so that a system configured with the
 * wrong key is told so instead of having its events filed under another source.
 *
 * <p>Every answer but {@code 503} means what was sent is durably in Kafka, accepted or rejected.
 * When the broker does not acknowledge within {@link IngestConfig#ackTimeout()}, or ingest is still
 * reading the ids already in the pipeline, the answer is {@code 503} with {@code Retry-After};
 * what was acknowledged stays in and is reported {@code duplicate} when resent. Bodies over
 * {@link IngestConfig.Limits#maxBodyBytes()} or with more lines than
 * {@link IngestConfig.Limits#maxLinesPerBatch()} are {@code 413}; a source sending faster than
 * its rate is {@code 429} with {@code Retry-After}.
 *
 * <p>Metrics: {@code credpipe.ingest.accepted}, {@code credpipe.ingest.duplicates},
 * {@code credpipe.ingest.rejections} (tag {@code reason}) count events;
 * {@code credpipe.ingest.requests} (tags {@code route}, {@code status}) times requests.
 */
public final class IngestService implements AutoCloseable {

    /** Where HR systems post events. */
    public static final String ASSESSMENTS_PATH = "/v1/assessments";

    /** Where HR systems post CSV files (a custom method in the AIP-136 style, hence the colon). */
    public static final String IMPORT_PATH = "/v1/assessments:import";

    /** Where framework admins publish frameworks, and anyone reads them. */
    public static final String FRAMEWORKS_PATH = "/v1/frameworks";

    /** Where the OpenAPI 3.1 document of this API is served. */
    public static final String OPENAPI_PATH = "/openapi.json";

    /** Where the event schema is served. */
    public static final String SCHEMA_PATH = "/v1/schemas/assessment-event.json";

    /** Seconds a client is asked to wait before retrying after a {@code 503}. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** NDJSON, one JSON text per line (the de-facto registration used by HR tools and {@code credpipe publish}). */
    public static final String NDJSON = "application/x-ndjson";

    /** The JSON Schema media type (JSON Schema draft 2020-12 core, §14). */
    static final String SCHEMA_MEDIA_TYPE = "application/schema+json";

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final IngestConfig config;
    private final AssessmentValidator validator;
    private final AssessmentPublisher publisher;
    private final BatchIntake intake;
    private final SeenEventsLoader loader;
    private final FrameworkCatalogue frameworks;
    private final FrameworkFormat frameworkFormat = new FrameworkFormat();
    private final SourceRateLimiter rateLimiter;
    private final MeterRegistry meters;
    private final Counter accepted;
    private final Counter duplicates;

    /**
     * Creates the service with its own meter registry; see {@link #IngestService(IngestConfig, MeterRegistry)}.
     *
     * @param config where Kafka is, who may call, and the limits
     */
    public IngestService(IngestConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /**
     * Creates the service, its Kafka producer, and starts reading the event ids already in
     * {@code assessments} in the background; succeeds while the cluster is unreachable, and answers
     * {@code 503} until the ids are read ({@link #ready()}).
     *
     * @param config where Kafka is, who may call, and the limits
     * @param meters where the service's metrics go
     */
    public IngestService(IngestConfig config, MeterRegistry meters) {
        this(config, meters, new AssessmentValidator(), new AssessmentPublisher(config.bootstrapServers(), config.ackTimeout()),
                Clock.systemUTC(), new EventIdIndex());
    }

    IngestService(IngestConfig config, MeterRegistry meters, AssessmentValidator validator, AssessmentPublisher publisher,
            Clock clock, EventIdIndex index) {
        this.config = Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.intake = new BatchIntake(validator, publisher, index, e -> e instanceof RetriableException, clock);
        IngestConfig.Limits limits = config.limits();
        this.rateLimiter = new SourceRateLimiter(limits.eventsPerSecondPerSource(), limits.burstPerSource(), System::nanoTime);
        this.accepted = Counter.builder("credpipe.ingest.accepted").description("Events acknowledged on assessments").register(meters);
        this.duplicates = Counter.builder("credpipe.ingest.duplicates").description("Events whose id was already in the pipeline").register(meters);
        this.loader = new SeenEventsLoader(config.bootstrapServers(), index).start();
        this.frameworks = new FrameworkCatalogue(config.bootstrapServers()).start();
    }

    /**
     * Whether the service has read every event id already in {@code assessments} and the published
     * frameworks, and so takes requests: the app's readiness check. Until then, and whenever Kafka
     * cannot be read at start, requests are answered 503.
     */
    public boolean ready() {
        return loader.ready() && frameworks.ready();
    }

    /**
     * Adds the routes to the application's HTTP server.
     *
     * @param http the server; its {@link ProblemException} handler renders client errors
     */
    public void addRoutes(Javalin http) {
        byte[] schema = validator.schema();
        byte[] openApi = openApi();
        http.get(SCHEMA_PATH, ctx -> ctx.contentType(SCHEMA_MEDIA_TYPE).result(schema));
        http.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
        http.post(ASSESSMENTS_PATH, ctx -> timed(ctx, "assessments", () -> postAssessments(ctx)));
        http.post(IMPORT_PATH, ctx -> timed(ctx, "import", () -> postImport(ctx)));
        http.post(FRAMEWORKS_PATH, ctx -> timed(ctx, "frameworks", () -> postFramework(ctx)));
        http.get(FRAMEWORKS_PATH, this::listFrameworks);
        http.get(FRAMEWORKS_PATH + "/{id}", this::getFramework);
    }

    /** The bundled OpenAPI document, hand-written: it says what each route means, which no generator can. */
    static byte[] openApi() {
        try (var in = IngestService.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void timed(Context ctx, String route, Runnable handler) {
        long started = System.nanoTime();
        int status = 500;
        try {
            handler.run();
            status = ctx.statusCode();
        } catch (ProblemException e) {
            status = e.problem().status();
            throw e;
        } finally {
            Timer.builder("credpipe.ingest.requests").description("Ingest requests, from arrival to answer")
                    .tag("route", route).tag("status", String.valueOf(status))
                    .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void postAssessments(Context ctx) {
        Caller caller = caller(ctx, config.authenticator());
        String mediaType = mediaType(ctx.contentType());
        boolean ndjson = NDJSON.equals(mediaType);
        if (!ndjson && !"application/json".equals(mediaType)) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send one assessment event as application/json or a batch as " + NDJSON + " (UTF-8); the request's Content-Type was "
                            + (ctx.contentType() == null ? "missing" : ctx.contentType())));
        }
        byte[] body = body(ctx, config.limits().maxBodyBytes());
        List<BatchIntake.Line> lines = ndjson ? NdjsonLines.split(body) : List.of(new BatchIntake.Line(1, body, body));
        if (lines.size() > config.limits().maxLinesPerBatch()) {
            throw new ProblemException(Problem.of("too-many-lines", "Too many lines", 413,
                    "a batch holds at most " + config.limits().maxLinesPerBatch() + " lines; this one has " + lines.size()));
        }
        IntakeReport report = take(caller, lines);
        if (ndjson) {
            ctx.status(202).contentType("application/json").result(json(report));
            return;
        }
        IntakeReport.Line line = report.lines().get(0);
        switch (line.status()) {
            case ACCEPTED -> ctx.status(202).contentType("application/json").result(json(new Single(line.eventId(), "accepted")));
            case DUPLICATE -> ctx.status(200).contentType("application/json").result(json(new Single(line.eventId(), "duplicate")));
            case REJECTED -> throw singleRejection(line);
        }
    }

    private void postImport(Context ctx) {
        Caller caller = caller(ctx, config.authenticator());
        if (!"text/csv".equals(mediaType(ctx.contentType()))) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send a CSV file as text/csv (UTF-8, RFC 4180, header row); the request's Content-Type was "
                            + (ctx.contentType() == null ? "missing" : ctx.contentType())));
        }
        byte[] body = body(ctx, config.limits().maxBodyBytes());
        List<BatchIntake.Line> lines;
        try {
            lines = CsvAssessments.lines(body, CsvAssessments.mapping(ctx.queryParams("map")), config.limits().maxLinesPerBatch());
        } catch (CsvAssessments.CsvFormatException e) {
            throw new ProblemException(Problem.of("invalid-csv", "Invalid CSV", 400, e.getMessage()));
        } catch (CsvAssessments.TooManyRows e) {
            throw new ProblemException(Problem.of("too-many-lines", "Too many lines", 413,
                    "an import holds at most " + config.limits().maxLinesPerBatch() + " rows; split the file"));
        }
        IntakeReport report = take(caller, lines);
        List<IntakeReport.Line> withColumns = new ArrayList<>(report.lines().size());
        for (IntakeReport.Line line : report.lines()) {
            withColumns.add(line.errors().isEmpty() ? line : new IntakeReport.Line(line.line(), line.eventId(), line.status(),
                    line.reason(), line.detail(), line.errors().stream().map(CsvAssessments::withColumn).toList()));
        }
        ctx.status(202).contentType("application/json").result(json(IntakeReport.of(withColumns)));
    }

    private void postFramework(Context ctx) {
        requireAdmin(caller(ctx, config.authenticator()));
        if (!"application/json".equals(mediaType(ctx.contentType()))) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send a framework in the LER export format as application/json (UTF-8)"));
        }
        Framework framework;
        try {
            framework = frameworkFormat.read("request", body(ctx, config.limits().maxBodyBytes()));
        } catch (FrameworkFormatException e) {
            throw new ProblemException(Problem.of("invalid-framework", "Invalid framework", 400,
                    "the body is not a framework in the LER export format").withErrors(List.of(new Problem.FieldError(e.field(), e.reason()))));
        }
        if (!frameworks.ready()) {
            throw unavailable("ingest is still reading the published frameworks; retry shortly");
        }
        String id = framework.id().toString();
        // One publication at a time, so that two uploads of one id cannot both pass the statement check.
        synchronized (frameworks) {
            FrameworkRevision revision = FrameworkRevision.of(frameworks.get(id), framework);
            if (revision instanceof FrameworkRevision.Conflict conflict) {
                throw new ProblemException(Problem.of("framework-conflict", "Framework statements cannot change", 409, conflict.detail()));
            }
            if (revision instanceof FrameworkRevision.Amended amended && !amended.changed()) {
                ctx.status(200).contentType("application/json").result(json(new FrameworkStatus(id, "unchanged")));
                return;
            }
            try {
                publisher.publishFramework(framework).get(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw unavailable("Kafka did not acknowledge the framework within " + config.ackTimeout().toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting for Kafka");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RetriableException) {
                    throw unavailable("Kafka could not write the framework: " + e.getCause().getMessage());
                }
                throw new IllegalStateException("Kafka refused framework " + id, e.getCause());
            }
            frameworks.put(framework);
            boolean created = revision instanceof FrameworkRevision.New;
            if (created) {
                ctx.header("Location", FRAMEWORKS_PATH + "/" + id);
            }
            ctx.status(created ? 201 : 200).contentType("application/json")
                    .result(json(new FrameworkStatus(id, created ? "created" : "updated")));
        }
    }

    private void listFrameworks(Context ctx) {
        requireFrameworks();
        List<FrameworkSummary> summaries = new ArrayList<>();
        for (Framework framework : frameworks.all()) {
            summaries.add(new FrameworkSummary(framework.id().toString(), framework.occupation().soc(), framework.title(),
                    framework.version(), framework.statements().size(), FRAMEWORKS_PATH + "/" + framework.id()));
        }
        ctx.contentType("application/json").result(json(summaries));
    }

    private void getFramework(Context ctx) {
        requireFrameworks();
        String id = ctx.pathParam("id");
        Framework framework = frameworks.get(id).orElseThrow(() -> new ProblemException(
                Problem.of("unknown-framework", "Unknown framework", 404, "no framework has the id " + id)));
        ctx.contentType("application/json").result(frameworkFormat.write(framework));
    }

    private void requireFrameworks() {
        if (!frameworks.ready()) {
            throw unavailable("ingest is still reading the published frameworks; retry shortly");
        }
    }

    /**
     * The answer to a framework upload.
     *
     * @param id     the framework id
     * @param status {@code created}, {@code updated} or {@code unchanged}
     */
    record FrameworkStatus(String id, String status) {}

    /**
     * One framework in the list.
     *
     * @param id         the framework id
     * @param soc        the occupation's SOC code
     * @param title      the occupation's title
     * @param version    the framework version
     * @param statements how many statements it has, over all levels
     * @param href       where its export is served
     */
    record FrameworkSummary(String id, String soc, String title, String version, int statements, String href) {}

    /** Rate-limits, takes the lines in, counts them, and turns a missing acknowledgement into a 503. */
    private IntakeReport take(Caller caller, List<BatchIntake.Line> lines) {
        Optional<Duration> wait = rateLimiter.acquire(caller.source(), Math.max(1, lines.size()));
        if (wait.isPresent()) {
            throw new ProblemException(Problem.of("rate-limited", "Too many events", 429,
                            "source " + caller.source() + " may send " + (long) config.limits().eventsPerSecondPerSource()
                                    + " events per second; retry after " + wait.get().toSeconds() + " s"),
                    Map.of("Retry-After", String.valueOf(wait.get().toSeconds())));
        }
        if (!loader.ready()) {
            throw unavailable("ingest is still reading the event ids already in the pipeline; retry shortly");
        }
        IntakeReport report;
        try {
            report = intake.take(caller, lines, System.nanoTime() + config.ackTimeout().toNanos());
        } catch (BatchIntake.Unavailable e) {
            LOG.warn("Kafka did not acknowledge a request of source {} within {}: {}", caller.source(), config.ackTimeout(), e.getMessage());
            throw unavailable("Kafka did not acknowledge every record within " + config.ackTimeout().toMillis()
                    + " ms; retry later with the same event ids (those already in are reported duplicate)");
        }
        accepted.increment(report.accepted());
        duplicates.increment(report.duplicate());
        for (IntakeReport.Line line : report.lines()) {
            if (line.status() == IntakeReport.Status.REJECTED) {
                Counter.builder("credpipe.ingest.rejections").description("Events refused, by reason")
                        .tag("reason", line.reason()).register(meters).increment();
            }
        }
        return report;
    }

    private static ProblemException singleRejection(IntakeReport.Line line) {
        if (BatchIntake.FORBIDDEN_SOURCE.equals(line.reason())) {
            return new ProblemException(Problem.of("forbidden-source", "Forbidden source", 403, line.detail()).withErrors(line.errors()));
        }
        if ("malformed_json".equals(line.reason())) {
            return new ProblemException(Problem.of("malformed-json", "Malformed JSON", 400, line.detail()));
        }
        int count = line.errors().size();
        return new ProblemException(Problem.of("invalid-event", "Invalid assessment event", 400,
                count == 1 ? "1 field is invalid" : count + " fields are invalid").withErrors(line.errors()));
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("kafka-unavailable", "Kafka unavailable", 503, detail),
                Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
    }

    /**
     * The caller named by the request's bearer token (RFC 6750 §2.1). No token, or one that is not
     * a known key, is 401 with the challenge RFC 6750 §3 asks for; the key itself is never logged.
     */
    static Caller caller(Context ctx, Authenticator authenticator) {
        return authenticator.caller(ctx.header("Authorization"),
                "an API key (create one with credpipe sources create NAME)");
    }

    /** 403 unless the caller holds an admin key. */
    static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ProblemException(Problem.of("forbidden", "Forbidden", 403,
                    "this needs an admin key; the key of source " + caller.source() + " is not one"));
        }
    }

    /**
     * The media type without parameters, lower-case, or {@code null} when the charset parameter
     * names anything but UTF-8: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1).
     */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return null;
                }
            }
        }
        return parts[0].strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The body, or 413 when it is larger than {@code max} (checked before reading when the length is declared). */
    static byte[] body(Context ctx, long max) {
        if (ctx.contentLength() > max) {
            throw tooLarge(max);
        }
        try {
            byte[] body = ctx.bodyInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(Problem.of("body-too-large", "Body too large", 413,
                "request bodies are limited to " + max + " bytes; split the batch"));
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records always serialise", e);
        }
    }

    /** Stops reading event ids and closes the Kafka producer, sending what it still holds for up to five seconds. */
    @Override
    public void close() {
        loader.close();
        frameworks.close();
        publisher.close();
    }

    /**
     * The body of an answer to a single event.
     *
     * @param eventId the event's id
     * @param status  {@code accepted} or {@code duplicate}
     */
    record Single(String eventId, String status) {}

    /** Splits an NDJSON body into lines. */
    static final class NdjsonLines {
        private NdjsonLines() {}

        /**
         * The non-blank lines, numbered from 1, without their {@code \n} or {@code \r\n}: blank lines
         * (e.g. a trailing newline) carry no event and are skipped.
         */
        static List<BatchIntake.Line> split(byte[] body) {
            List<BatchIntake.Line> lines = new ArrayList<>();
            int number = 0;
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    number++;
                    int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                    if (!blank(body, start, end)) {
                        byte[] line = java.util.Arrays.copyOfRange(body, start, end);
                        lines.add(new BatchIntake.Line(number, line, line));
                    }
                    start = i + 1;
                }
            }
            return lines;
        }

        private static boolean blank(byte[] body, int start, int end) {
            for (int i = start; i < end; i++) {
                if (body[i] != ' ' && body[i] != '\t') {
                    return false;
                }
            }
            return true;
        }
    }
}
