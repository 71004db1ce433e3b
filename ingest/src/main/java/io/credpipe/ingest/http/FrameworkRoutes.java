package io.credpipe.ingest.http;

import static io.credpipe.ingest.http.Requests.body;
import static io.credpipe.ingest.http.Requests.caller;
import static io.credpipe.ingest.http.Requests.json;
import static io.credpipe.ingest.http.Requests.mediaType;
import static io.credpipe.ingest.http.Requests.requireAdmin;
import static io.credpipe.ingest.http.Requests.unavailable;

import io.credpipe.ingest.intake.FrameworkRevision;
import io.credpipe.ingest.intake.RecordTooLarge;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import io.credpipe.model.page.Page;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * {@code POST /v1/frameworks} (admin key; a framework in the LER export format), {@code GET
 * /v1/frameworks} and {@code GET /v1/frameworks/{id}}: a published framework's statements never
 * change ({@link FrameworkRevision}).
 */
public final class FrameworkRoutes {

    private final Authenticator authenticator;
    private final PublishedFrameworks frameworks;
    private final long maxBodyBytes;
    private final Duration ackTimeout;
    private final Predicate<Throwable> transientFailure;
    private final FrameworkFormat frameworkFormat = new FrameworkFormat();
    private final Object publication = new Object();

    /**
     * Creates the routes.
     *
     * @param authenticator    who holds an API key
     * @param frameworks       the published frameworks
     * @param maxBodyBytes     the largest request body
     * @param ackTimeout       how long an upload waits for the write to be acknowledged
     * @param transientFailure which write failures are a passing outage (503) rather than a defect
     */
    public FrameworkRoutes(Authenticator authenticator, PublishedFrameworks frameworks, long maxBodyBytes, Duration ackTimeout,
            Predicate<Throwable> transientFailure) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        this.maxBodyBytes = maxBodyBytes;
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        this.transientFailure = Objects.requireNonNull(transientFailure, "transientFailure");
    }

    /**
     * {@code POST /v1/frameworks}: {@code 201} with {@code Location} when new, {@code 200} when
     * amended or unchanged, {@code 409 framework-conflict} when its statements differ.
     *
     * @param ctx the request
     */
    public void post(Context ctx) {
        requireAdmin(caller(ctx, authenticator));
        if (!"application/json".equals(mediaType(ctx.contentType()))) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "send a framework in the LER export format as application/json (UTF-8)"));
        }
        Framework framework;
        try {
            framework = frameworkFormat.read("request", body(ctx, maxBodyBytes));
        } catch (FrameworkFormatException e) {
            throw new ProblemException(Problem.of("invalid-framework", "Invalid framework", 400,
                    "the body is not a framework in the LER export format").withErrors(List.of(new Problem.FieldError(e.field(), e.reason()))));
        }
        requireFrameworks();
        String id = framework.id().toString();
        // One publication at a time, so that two uploads of one id cannot both pass the statement check.
        synchronized (publication) {
            FrameworkRevision revision = FrameworkRevision.of(frameworks.get(id), framework);
            if (revision instanceof FrameworkRevision.Conflict conflict) {
                throw new ProblemException(Problem.of("framework-conflict", "Framework statements cannot change", 409, conflict.detail()));
            }
            if (revision instanceof FrameworkRevision.Amended amended && !amended.changed()) {
                ctx.status(200).contentType("application/json").result(json(new FrameworkStatus(id, "unchanged")));
                return;
            }
            try {
                frameworks.publish(framework).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw unavailable("Kafka did not acknowledge the framework within " + ackTimeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting for Kafka");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLarge tooLarge) {
                    throw new ProblemException(Problem.of("record-too-large", "Framework too large", 413,
                            tooLarge.getMessage() + "; a framework must fit in one Kafka record"));
                }
                if (transientFailure.test(e.getCause())) {
                    throw unavailable("Kafka could not write the framework: " + e.getCause().getMessage());
                }
                throw new IllegalStateException("Kafka refused framework " + id, e.getCause());
            }
            frameworks.remember(framework);
            boolean created = revision instanceof FrameworkRevision.New;
            if (created) {
                ctx.header("Location", IngestApi.FRAMEWORKS_PATH + "/" + id);
            }
            ctx.status(created ? 201 : 200).contentType("application/json")
                    .result(json(new FrameworkStatus(id, created ? "created" : "updated")));
        }
    }

    /**
     * {@code GET /v1/frameworks}: a summary of each published framework.
     *
     * @param ctx the request
     */
    public void list(Context ctx) {
        requireFrameworks();
        Page.Request request = Page.Request.of(ctx.queryParam("limit"), ctx.queryParam("cursor"));
        Page<Framework> page = Page.of(frameworks.all(), f -> f.id().toString(), request);
        // The body stays the array it always was; the next page is linked in the header (RFC 8288).
        String next = page.nextLink(ctx.path(), request);
        if (next != null) {
            ctx.header("Link", "<" + next + ">; rel=\"next\"");
        }
        List<FrameworkSummary> summaries = new ArrayList<>();
        for (Framework framework : page.items()) {
            summaries.add(new FrameworkSummary(framework.id().toString(), framework.occupation().soc(), framework.title(),
                    framework.version(), framework.statements().size(), IngestApi.FRAMEWORKS_PATH + "/" + framework.id()));
        }
        ctx.contentType("application/json").result(json(summaries));
    }

    /**
     * {@code GET /v1/frameworks/{id}}: one framework in the LER export format, or {@code 404}.
     *
     * @param ctx the request
     */
    public void get(Context ctx) {
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
}
