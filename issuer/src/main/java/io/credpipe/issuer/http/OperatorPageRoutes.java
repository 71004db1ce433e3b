package io.credpipe.issuer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.OperatorPage;
import io.credpipe.issuer.delivery.OperatorProgress;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An operator's private page, reached by their link's token (see {@link AccessLinks}):
 *
 * <ul>
 *   <li>{@code GET /o/{token}}: the page ({@link OperatorPage}, template {@code operator.jte});</li>
 *   <li>{@code GET /o/{token}/credentials/{id}.jwt} and {@code .json}: one of the operator's
 *       credentials as a download (the compact JWS, or the decoded credential).</li>
 * </ul>
 *
 * <p>A token that is unknown, expired or revoked, and a credential that is not the operator's, get
 * the same friendly 404 page, so nothing tells whether an operator or a credential exists. Every answer
 * is {@code Cache-Control: no-store} with {@code Referrer-Policy: no-referrer}, so the token stays out
 * of shared caches and of the {@code Referer} sent to the pages it links to; the app keeps paths
 * under {@code /o/} out of its logs.
 */
public final class OperatorPageRoutes {

    private final AccessLinkResolver links;
    private final OperatorRecordRoutes.Records records;
    private final OperatorProgress progress;
    private final Function<FrameworkId, Optional<Framework>> frameworks;
    private final String publicBase;
    private final Clock clock;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final ObjectMapper mapper = Json.newMapper();

    /**
     * @param links resolves a token to its operator
     * @param records the operator's credentials with their standing
     * @param progress the operator's progress, when this process knows it
     * @param frameworks the frameworks this issuer holds
     * @param publicBase the issuer's public base URL
     * @param clock the time statuses are judged at
     */
    public OperatorPageRoutes(AccessLinkResolver links, OperatorRecordRoutes.Records records, OperatorProgress progress,
            Function<FrameworkId, Optional<Framework>> frameworks, String publicBase, Clock clock) {
        this.links = Objects.requireNonNull(links, "links");
        this.records = Objects.requireNonNull(records, "records");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        this.publicBase = Objects.requireNonNull(publicBase, "publicBase");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void addTo(Javalin http) {
        http.get(AccessLinks.PATH_PREFIX + "{token}", this::page);
        http.get(AccessLinks.PATH_PREFIX + "{token}/credentials/{file}", this::download);
    }

    private void page(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<String> operatorId = links.operatorId(token);
        if (operatorId.isEmpty()) {
            notFound(ctx);
            return;
        }
        List<CredentialRecord> held = records.of(operatorId.get());
        Optional<List<OperatorProgress.FrameworkLadder>> known;
        try {
            known = progress.of(operatorId.get());
        } catch (RuntimeException e) {
            // The page is still worth showing from the credentials alone.
            known = Optional.empty();
        }
        OperatorPage page = OperatorPage.of(AccessLinks.PATH_PREFIX + token, publicBase, held, known, safe(frameworks),
                clock.instant(), publicBase + PublicPages.STYLESHEET_PATH);
        privateAnswer(ctx);
        PublicPages.html(ctx, render("operator.jte", page));
    }

    private void download(Context ctx) throws JsonProcessingException {
        Optional<String> operatorId = links.operatorId(ctx.pathParam("token"));
        String file = ctx.pathParam("file");
        boolean jwt = file.endsWith(".jwt");
        boolean json = file.endsWith(".json");
        if (operatorId.isEmpty() || !(jwt || json)) {
            notFound(ctx);
            return;
        }
        String credentialId = file.substring(0, file.lastIndexOf('.'));
        Optional<CredentialRecord> record = records.of(operatorId.get()).stream()
                .filter(held -> held.issued().credentialId().equals(credentialId)).findFirst();
        if (record.isEmpty()) {
            notFound(ctx);
            return;
        }
        privateAnswer(ctx);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Disposition", "attachment; filename=\"" + credentialId + (jwt ? ".jwt\"" : ".json\""));
        if (jwt) {
            ctx.contentType(JwtType.of(record.get().issued().jwt()).mediaType()).result(record.get().issued().jwt());
        } else {
            ctx.contentType(IssuerRoutes.JSON).result(mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(record.get().credential()));
        }
    }

    private void notFound(Context ctx) {
        privateAnswer(ctx);
        ctx.status(404);
        PublicPages.html(ctx, render("operator-not-found.jte", publicBase + PublicPages.STYLESHEET_PATH));
    }

    private static void privateAnswer(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Robots-Tag", "noindex, nofollow");
    }

    /** A framework lookup that answers empty instead of failing while the stores are not queryable. */
    private static Function<FrameworkId, Optional<Framework>> safe(Function<FrameworkId, Optional<Framework>> frameworks) {
        return id -> {
            try {
                return frameworks.apply(id);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        };
    }

    private String render(String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        return out.toString();
    }
}
