package io.credpipe.issuer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.FrameworkLevel;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The resolvable framework, level and statement URLs of credentials ({@code /frameworks/{id}},
 * {@code /frameworks/{id}/{level}}, {@code /frameworks/{id}/{level}/{n}}): HTML when the
 * {@code Accept} header prefers {@code text/html}, JSON otherwise (RFC 9110 §12.5.1), with
 * {@code Vary: Accept}.
 */
public final class FrameworkRoutes {

    static final String HTML = "text/html";

    /** Finds a framework version. */
    @FunctionalInterface
    public interface FrameworkLookup {
        /**
         * @throws ProblemException when the frameworks cannot be read now
         */
        Optional<Framework> find(FrameworkId id);
    }

    private final FrameworkLookup frameworks;
    private final FrameworkPages pages;
    private final ObjectMapper mapper = Json.newMapper();

    public FrameworkRoutes(FrameworkLookup frameworks, FrameworkPages pages) {
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    public void addTo(Javalin http) {
        http.get("/frameworks/{framework}", this::framework);
        http.get("/frameworks/{framework}/{level}", this::level);
        http.get("/frameworks/{framework}/{level}/{n}", this::statement);
    }

    private void framework(Context ctx) throws JsonProcessingException {
        Framework framework = framework(ctx.pathParam("framework"));
        answer(ctx, pages.frameworkHtml(framework), () -> pages.frameworkJson(framework));
    }

    private void level(Context ctx) throws JsonProcessingException {
        Framework framework = framework(ctx.pathParam("framework"));
        FrameworkLevel level = level(framework, ctx.pathParam("level"));
        answer(ctx, pages.levelHtml(framework, level), () -> pages.levelJson(framework, level));
    }

    private void statement(Context ctx) throws JsonProcessingException {
        Framework framework = framework(ctx.pathParam("framework"));
        String text = framework.id() + "/" + ctx.pathParam("level") + "/" + ctx.pathParam("n");
        Statement statement = StatementId.parse(text).flatMap(framework::statement)
                .orElseThrow(() -> notFound("the framework " + framework.id() + " has no statement " + text));
        answer(ctx, pages.statementHtml(framework, statement), () -> pages.statementJson(framework, statement));
    }

    private void answer(Context ctx, String html, java.util.function.Supplier<Object> json) throws JsonProcessingException {
        ctx.header("Vary", "Accept");
        ctx.header("Cache-Control", "public, max-age=3600");
        if (prefersHtml(ctx.header("Accept"))) {
            ctx.contentType(HTML + "; charset=utf-8").result(html);
        } else {
            ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(json.get()));
        }
    }

    private Framework framework(String id) {
        FrameworkId frameworkId = FrameworkId.parse(id).orElseThrow(() -> notFound("no framework has the id " + id));
        return frameworks.find(frameworkId).orElseThrow(() -> notFound("no framework has the id " + id));
    }

    private static FrameworkLevel level(Framework framework, String id) {
        return Level.fromId(id).map(framework::level)
                .orElseThrow(() -> notFound("the framework " + framework.id() + " has no level " + id));
    }

    private static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of("framework-not-found", "Framework not found", 404, detail));
    }

    /** Whether {@code Accept} ranks {@code text/html} above JSON and at least as high as the wildcards. */
    static boolean prefersHtml(String accept) {
        return AcceptHeader.parse(accept).prefers(HTML, IssuerRoutes.JSON);
    }
}
