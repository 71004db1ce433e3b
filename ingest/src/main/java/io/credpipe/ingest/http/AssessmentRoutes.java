package io.credpipe.ingest.http;

import static io.credpipe.ingest.http.Requests.body;
import static io.credpipe.ingest.http.Requests.caller;
import static io.credpipe.ingest.http.Requests.json;
import static io.credpipe.ingest.http.Requests.mediaType;
import static io.credpipe.ingest.http.Requests.unavailable;

import io.credpipe.ingest.intake.BatchIntake;
import io.credpipe.ingest.intake.BatchReceipt;
import io.credpipe.ingest.intake.CsvAssessments;
import io.credpipe.ingest.intake.IntakeReport;
import io.credpipe.ingest.intake.NdjsonLines;
import io.credpipe.ingest.intake.SourceRateLimiter;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/assessments} (one event as JSON, or an NDJSON batch) and
 * {@code POST /v1/assessments:import} (CSV): parses the request, rate-limits the source, hands the
 * lines to {@link BatchIntake} and answers with what became of them.
 */
public final class AssessmentRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AssessmentRoutes.class);

    /** Reasons of a well-formed event whose reference ingest could not resolve, with their problem titles. */
    private static final Map<String, String> UNRESOLVED_TITLES = Map.of(
            RejectionReason.UNKNOWN_FRAMEWORK.id(), "Framework not loaded",
            RejectionReason.UNKNOWN_STATEMENT.id(), "No such statement",
            RejectionReason.UNKNOWN_RETRACTION_TARGET.id(), "No such event to retract");
    private static final Set<String> UNRESOLVED = UNRESOLVED_TITLES.keySet();

    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();

    private final Authenticator authenticator;
    private final BatchIntake intake;
    private final BooleanSupplier seenIdsReady;
    private final SourceRateLimiter rateLimiter;
    private final long maxBodyBytes;
    private final int maxLinesPerBatch;
    private final Duration ackTimeout;
    private final IngestMetrics metrics;

    /**
     * Creates the routes.
     *
     * @param authenticator    who holds an API key
     * @param intake           takes the lines in
     * @param seenIdsReady     whether the event ids already in the pipeline have been read; until
     *                         then requests are answered 503
     * @param rateLimiter      how fast each source may send
     * @param maxBodyBytes     the largest request body
     * @param maxLinesPerBatch the most lines in one request
     * @param ackTimeout       how long a request waits for Kafka's acknowledgements
     * @param metrics          where events are counted
     */
    public AssessmentRoutes(Authenticator authenticator, BatchIntake intake, BooleanSupplier seenIdsReady,
            SourceRateLimiter rateLimiter, long maxBodyBytes, int maxLinesPerBatch, Duration ackTimeout, IngestMetrics metrics) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.seenIdsReady = Objects.requireNonNull(seenIdsReady, "seenIdsReady");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.maxBodyBytes = maxBodyBytes;
        this.maxLinesPerBatch = maxLinesPerBatch;
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * {@code POST /v1/assessments}: one event as {@code application/json}, or a batch as NDJSON.
     *
     * @param ctx the request
     */
    public void post(Context ctx) {
        Caller caller = caller(ctx, authenticator);
        String mediaType = mediaType(ctx.contentType());
        boolean ndjson = IngestApi.NDJSON.equals(mediaType);
        if (!ndjson && !"application/json".equals(mediaType)) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send one assessment event as application/json or a batch as " + IngestApi.NDJSON
                            + " (UTF-8); the request's Content-Type was " + (ctx.contentType() == null ? "missing" : ctx.contentType())));
        }
        byte[] body = body(ctx, maxBodyBytes);
        List<BatchIntake.Line> lines = ndjson ? NdjsonLines.split(body) : List.of(new BatchIntake.Line(1, body, body));
        if (lines.size() > maxLinesPerBatch) {
            throw new ProblemException(Problem.of("too-many-lines", "Too many lines", 413,
                    "a batch holds at most " + maxLinesPerBatch + " lines; this one has " + lines.size()));
        }
        IntakeReport report = take(caller, lines);
        if (ndjson) {
            answerBatch(ctx, report);
            return;
        }
        IntakeReport.Line line = report.lines().get(0);
        switch (line.status()) {
            case ACCEPTED -> ctx.status(202).contentType("application/json").result(json(new Single(line.eventId(), "accepted")));
            case DUPLICATE -> ctx.status(200).contentType("application/json").result(json(new Single(line.eventId(), "duplicate")));
            case REJECTED -> throw singleRejection(line);
        }
    }

    /**
     * {@code POST /v1/assessments:import}: a CSV file, {@code ?map=column:header,…} renaming its headers.
     *
     * @param ctx the request
     */
    public void postImport(Context ctx) {
        Caller caller = caller(ctx, authenticator);
        if (!"text/csv".equals(mediaType(ctx.contentType()))) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send a CSV file as text/csv (UTF-8, RFC 4180, header row); the request's Content-Type was "
                            + (ctx.contentType() == null ? "missing" : ctx.contentType())));
        }
        byte[] body = body(ctx, maxBodyBytes);
        List<BatchIntake.Line> lines;
        try {
            lines = CsvAssessments.lines(body, CsvAssessments.mapping(ctx.queryParams("map")), maxLinesPerBatch);
        } catch (CsvAssessments.CsvFormatException e) {
            throw new ProblemException(Problem.of("invalid-csv", "Invalid CSV", 400, e.getMessage()));
        } catch (CsvAssessments.TooManyRows e) {
            throw new ProblemException(Problem.of("too-many-lines", "Too many lines", 413,
                    "an import holds at most " + maxLinesPerBatch + " rows; split the file"));
        }
        IntakeReport report = take(caller, lines);
        List<IntakeReport.Line> withColumns = new ArrayList<>(report.lines().size());
        for (IntakeReport.Line line : report.lines()) {
            withColumns.add(line.errors().isEmpty() ? line : new IntakeReport.Line(line.line(), line.eventId(), line.status(),
                    line.reason(), line.detail(), line.errors().stream().map(CsvAssessments::withColumn).toList()));
        }
        answerBatch(ctx, IntakeReport.of(withColumns));
    }

    /** A batch's answer: its receipt's id (also in {@code Location}) and the per-line report. */
    private static void answerBatch(Context ctx, IntakeReport report) {
        String id = BatchReceipt.of(report, nonce()).id();
        ctx.header("Location", IngestApi.BATCHES_PATH + "/" + id);
        ctx.status(202).contentType("application/json").result(json(new BatchAnswer(id, IngestApi.BATCHES_PATH + "/" + id,
                report.accepted(), report.duplicate(), report.rejected(), report.lines())));
    }

    private static String nonce() {
        return Long.toHexString(NONCES.nextLong());
    }

    /**
     * The answer to a batch or an import.
     *
     * @param batch     the batch id, for {@code GET /v1/batches/{id}}
     * @param receipt   that route's path for this batch
     * @param accepted  lines that entered the pipeline
     * @param duplicate lines already in it
     * @param rejected  lines refused
     * @param lines     one outcome per line
     */
    record BatchAnswer(String batch, String receipt, int accepted, int duplicate, int rejected, List<IntakeReport.Line> lines) {}

    /** Rate-limits, takes the lines in, counts them, and turns a missing acknowledgement into a 503. */
    private IntakeReport take(Caller caller, List<BatchIntake.Line> lines) {
        Optional<Duration> wait = rateLimiter.acquire(caller.source(), Math.max(1, lines.size()));
        if (wait.isPresent()) {
            throw new ProblemException(Problem.of("rate-limited", "Too many events", 429,
                            "source " + caller.source() + " may send " + (long) rateLimiter.eventsPerSecond()
                                    + " events per second; retry after " + wait.get().toSeconds() + " s"),
                    Map.of("Retry-After", String.valueOf(wait.get().toSeconds())));
        }
        if (!seenIdsReady.getAsBoolean()) {
            throw unavailable("ingest is still reading the event ids already in the pipeline; retry shortly");
        }
        IntakeReport report;
        try {
            report = intake.take(caller, lines, System.nanoTime() + ackTimeout.toNanos());
        } catch (BatchIntake.Unavailable e) {
            LOG.warn("Kafka did not acknowledge a request of source {} within {}: {}", caller.source(), ackTimeout, e.getMessage());
            throw unavailable("Kafka did not acknowledge every record within " + ackTimeout.toMillis()
                    + " ms; retry later with the same event ids (those already in are reported duplicate)");
        }
        metrics.count(report);
        return report;
    }

    private static ProblemException singleRejection(IntakeReport.Line line) {
        if (BatchIntake.FORBIDDEN_SOURCE.equals(line.reason())) {
            return new ProblemException(Problem.of("forbidden-source", "Forbidden source", 403, line.detail()).withErrors(line.errors()));
        }
        if ("conflicting_duplicate".equals(line.reason())) {
            return new ProblemException(Problem.of("conflicting-event", "Event id already used for other content", 409, line.detail())
                    .withErrors(line.errors()));
        }
        if (RejectionReason.RECORD_TOO_LARGE.id().equals(line.reason())) {
            // 413 rather than 422: what is wrong is the size alone (RFC 9110 §15.5.14), and the fix
            // is a smaller event; 422 (§15.5.21) would say its content is wrong, and it may not be.
            return new ProblemException(Problem.of("record-too-large", "Event too large", 413, line.detail()));
        }
        if (UNRESOLVED.contains(line.reason())) {
            // 422: the event is well-formed, but what it refers to is not in the pipeline.
            return new ProblemException(Problem.of(line.reason().replace('_', '-'), UNRESOLVED_TITLES.get(line.reason()), 422, line.detail())
                    .withErrors(line.errors()));
        }
        if ("malformed_json".equals(line.reason())) {
            return new ProblemException(Problem.of("malformed-json", "Malformed JSON", 400, line.detail()));
        }
        int count = line.errors().size();
        return new ProblemException(Problem.of("invalid-event", "Invalid assessment event", 400,
                count == 1 ? "1 field is invalid" : count + " fields are invalid").withErrors(line.errors()));
    }

    /**
     * The body of an answer to a single event.
     *
     * @param eventId the event's id
     * @param status  {@code accepted} or {@code duplicate}
     */
    record Single(String eventId, String status) {}
}
