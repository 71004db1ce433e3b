package io.credpipe.evaluator.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.credpipe.evaluator.rule.OperatorProgressReport;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.event.OperatorRegistry;
import io.credpipe.model.page.Page;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /v1/operators/{id}/progress}: an operator's progress per framework and level, read from
 * the evaluator's own state stores (interactive queries, behind the {@link ProgressQueries} the service
 * root gives), so it always agrees with the decisions.
 *
 * <p>An operator's progress lives on the instance that owns their {@code assessments} partition. With
 * {@code application.server} set (a split deployment, through {@code EvaluatorConfig.streamsOverrides};
 * the value is the {@code host:port} of this instance's HTTP server), Kafka Streams knows which instance
 * owns each operator: this endpoint reads exactly that partition when it is here, and otherwise forwards
 * the request once to the owner's same route and relays its answer. A forwarded request is never
 * forwarded again (header {@value #FORWARDED_HEADER}): while ownership moves, the answer is a 503 rather
 * than a loop. Without {@code application.server} (the single-instance default) every partition is
 * local and all local stores are read.
 *
 * <p>An operator with no progress is {@code 404 operator-not-found} when the pipeline never
 * accepted an event about them, and an empty report when it did (the events not processed yet, or
 * refused by the evaluator). The frameworks are paged by framework id ({@code ?limit=}, and the
 * {@code cursor} of the {@code next} link, also sent as {@code Link: rel="next"}).
 *
 * <p>The route needs an API key ({@code Authorization: Bearer}, an HR source's or an administrator's):
 * operators are named by their HR employee number, which is easy to guess, and their progress is
 * their assessment history. A forwarded request carries the caller's header, so every instance of a
 * split deployment must know the same keys.
 */
public final class ProgressEndpoint {

    /** Marks a request one evaluator forwarded to another. */
    public static final String FORWARDED_HEADER = "X-Credpipe-Forwarded-By";

    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);

    private final ProgressQueries queries;
    private final Authenticator authenticator;
    private final OperatorRegistry operators;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();

    /**
     * @param queries the evaluator's progress, wherever it is stored
     * @param authenticator who may ask: any known API key
     * @param operators which operators the pipeline has heard of: an operator with no progress is
     *     404 when unknown, an empty report when on record (its events not processed yet, or refused)
     */
    public ProgressEndpoint(ProgressQueries queries, Authenticator authenticator, OperatorRegistry operators) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.operators = Objects.requireNonNull(operators, "operators");
    }

    /** Adds the route. */
    public void addRoutes(Javalin http) {
        http.get("/v1/operators/{id}/progress", ctx -> {
            authenticator.caller(ctx.header("Authorization"), "an API key of an HR source or an administrator");
            String operatorId = ctx.pathParam("id");
            Optional<String> remote = queries.remoteOwner(operatorId);
            if (remote.isPresent()) {
                if (ctx.header(FORWARDED_HEADER) != null) {
                    throw unavailable("The evaluator at " + remote.get() + " holds this operator's progress and this"
                            + " request was already forwarded once; ownership is moving. Try again shortly.");
                }
                HttpResponse<byte[]> answer = forward(remote.get(), operatorId, ctx.header("Authorization"));
                ctx.status(answer.statusCode())
                        .contentType(answer.headers().firstValue("Content-Type").orElse("application/json"))
                        .result(answer.body());
                return;
            }
            Page.Request request = Page.Request.of(ctx.queryParam("limit"), ctx.queryParam("cursor"));
            OperatorProgressReport report = queries.report(operatorId);
            if (report.frameworks().isEmpty()) {
                requireOnRecord(operatorId);
            }
            Page<OperatorProgressReport.FrameworkReport> page = Page.of(report.frameworks(), f -> f.framework().toString(), request);
            String next = page.nextLink(ctx.path(), request);
            if (next != null) {
                ctx.header("Link", "<" + next + ">; rel=\"next\"");
            }
            ctx.json(new PagedReport(operatorId, page.items(), next));
        });
    }

    /**
     * The report as the route answers it: a page of its frameworks (by framework id), and the link to
     * the next page when there is one.
     *
     * @param operatorId the operator
     * @param frameworks this page's frameworks
     * @param next the next page's link; absent on the last page
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PagedReport(String operatorId, List<OperatorProgressReport.FrameworkReport> frameworks, String next) {}

    private void requireOnRecord(String operatorId) {
        switch (operators.lookup(operatorId)) {
            case ON_RECORD -> { }
            case UNKNOWN -> throw new ProblemException(Problem.of("operator-not-found", "No such operator", 404,
                    "no assessment event about operator " + operatorId + " was ever accepted"));
            case NOT_READY -> throw new ProblemException(Problem.of("operators-unavailable", "Operators not read yet", 503,
                    "the evaluator is still reading which operators are on record; retry shortly"), java.util.Map.of("Retry-After", "2"));
        }
    }

    private HttpResponse<byte[]> forward(String owner, String operatorId, String authorization) {
        URI uri = URI.create("http://" + owner + "/v1/operators/"
                + URLEncoder.encode(operatorId, StandardCharsets.UTF_8).replace("+", "%20") + "/progress");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, queries.selfAddress().orElse("unknown")).header("Accept", "application/json")
                .header("Authorization", authorization).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("The evaluator at " + owner + " holds this operator's progress but cannot be reached.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while asking the evaluator at " + owner + ".");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("progress-unavailable", "Progress unavailable", 503, detail));
    }
}
