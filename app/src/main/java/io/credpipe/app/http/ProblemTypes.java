package io.credpipe.app.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The problem types credpipe answers with, each documented by a short page (RFC 9457 §3.1.1: a type
 * URI that is a locator should give human-readable documentation). Every deployment serves them at
 * {@value #PATH}{@code {slug}}, the path of the type URI {@code https://credpipe.io/problems/{slug}},
 * and every problem answer links there ({@code Link: <…>; rel="describedby"}). The type URIs
 * themselves stay the same for every deployment, so that clients can compare them.
 */
public final class ProblemTypes {

    /** Where the pages are served. */
    public static final String PATH = "/problems/";

    /** The strict policy of the pages: no script, no style, no frames, nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, ProblemType> types;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    private ProblemTypes(Map<String, ProblemType> types) {
        this.types = Map.copyOf(types);
    }

    /** The catalogue bundled with credpipe ({@code problem-types.json}). */
    public static ProblemTypes bundled() {
        try (InputStream in = ProblemTypes.class.getResourceAsStream("problem-types.json")) {
            if (in == null) {
                throw new IllegalStateException("problem-types.json is missing from the application");
            }
            Map<String, Map<String, String>> read = Json.newMapper().readValue(in, new TypeReference<>() {});
            Map<String, ProblemType> types = new LinkedHashMap<>();
            read.forEach((slug, entry) -> types.put(slug, new ProblemType(slug, entry.get("title"), entry.get("text"))));
            return new ProblemTypes(types);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled problem types", e);
        }
    }

    /** The documented type of {@code slug}. */
    public Optional<ProblemType> get(String slug) {
        return Optional.ofNullable(types.get(slug));
    }

    /** Every documented slug. */
    public java.util.Set<String> slugs() {
        return types.keySet();
    }

    /** {@code GET /problems/{slug}}: the page for people, or JSON for a client that asks for it. */
    void serve(Context ctx) {
        String slug = ctx.pathParam("slug");
        ProblemType type = get(slug).orElseThrow(() -> new ProblemException(Problem.of("not-found", "Not found", 404,
                "credpipe has no problem type " + slug)));
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            ctx.json(Map.of("type", type.type(), "title", type.title(), "description", type.text()));
            return;
        }
        StringOutput page = new StringOutput();
        templates.render("problem.jte", type, page);
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.contentType("text/html; charset=utf-8").result(page.toString());
    }

    /**
     * One problem type.
     *
     * @param slug the last segment of its type URI
     * @param title its title, the same in every answer
     * @param text what it means and what to do about it
     */
    public record ProblemType(String slug, String title, String text) {

        /** Its type URI. */
        public String type() {
            return Problem.TYPE_BASE + slug;
        }
    }
}
