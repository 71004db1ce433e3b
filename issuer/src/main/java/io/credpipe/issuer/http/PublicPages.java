package io.credpipe.issuer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The issuer's public pages, for people: its home page at the public base URL (its profile's
 * {@code url}: who issues, which frameworks, how to verify, links to the keys and {@code did:web}),
 * HTML or JSON by {@code Accept}, and the HTML page of a credential whose {@code id} a browser opens
 * (see {@link IssuerRoutes}).
 *
 * <p>Pages are jte templates ({@code src/main/jte}, compiled at build time), which HTML-escape every
 * value; they load nothing from elsewhere and are served under a strict Content Security Policy.
 */
public final class PublicPages {

    /** Nothing but the issuer's own stylesheet: no script, no frame, no form to elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Where the pages' stylesheet is served. */
    static final String STYLESHEET_PATH = "/assets/issuer-pages.css";

    /** The frameworks the issuer has received. */
    @FunctionalInterface
    public interface FrameworkCatalogue {
        /** Every framework version, in no particular order. */
        List<Framework> all();
    }

    private final IssuerProfile profile;
    private final PublicUrls urls;
    private final DidWebDocument did;
    private final FrameworkCatalogue frameworks;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final ObjectMapper mapper = Json.newMapper();
    private final byte[] stylesheet;

    public PublicPages(IssuerProfile profile, PublicUrls urls, DidWebDocument did, FrameworkCatalogue frameworks) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.did = Objects.requireNonNull(did, "did");
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        try (InputStream in = PublicPages.class.getResourceAsStream("pages.css")) {
            this.stylesheet = Objects.requireNonNull(in, "pages.css is missing from the jar").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void addTo(Javalin http) {
        http.get("/", this::home);
        http.get(STYLESHEET_PATH, ctx -> {
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/css; charset=utf-8").result(stylesheet);
        });
    }

    /** What the home page says now. */
    public IssuerHome home() {
        List<IssuerHome.FrameworkLink> links = frameworks.all().stream()
                .sorted(Comparator.comparing((Framework f) -> f.title()).thenComparing(f -> f.id().toString()))
                .map(f -> new IssuerHome.FrameworkLink(f.id().toString(), f.title() + " (" + f.version() + ")",
                        urls.framework(f.id())))
                .toList();
        // The profile document's URL: its id is the issuer's DID, which a browser cannot open.
        return new IssuerHome(profile.name(), profile.url(), urls.issuerProfile(), urls.jwks(), did.did(),
                urls.base() + did.documentPath(), urls.base() + "/verify", links, urls.base() + STYLESHEET_PATH);
    }

    private void home(Context ctx) throws JsonProcessingException {
        ctx.header("Vary", "Accept");
        ctx.header("Cache-Control", "public, max-age=300");
        IssuerHome home = home();
        if (FrameworkRoutes.prefersHtml(ctx.header("Accept"))) {
            html(ctx, render("issuer.jte", home));
            return;
        }
        ObjectNode json = mapper.valueToTree(home);
        json.remove("stylesheet");
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsString(json));
    }

    /** The page of {@code issued} for a browser: what it claims, and a link to verify it. */
    String credentialHtml(IssuedCredential issued) {
        JsonNode credential = CredentialSigner.signedDocument(issued.jwt());
        String id = credential.path("id").asText(urls.base() + "/credentials/" + issued.credentialId());
        String validUntil = credential.path("validUntil").asText(null);
        CredentialPage page = new CredentialPage(id, credential.path("name").asText(issued.credentialId()),
                credential.at("/issuer/name").asText(profile.name()), profile.url(),
                credential.path("validFrom").asText(""), validUntil,
                urls.base() + "/verify?url=" + URLEncoder.encode(id, StandardCharsets.UTF_8),
                urls.base() + "/v1/credentials/" + issued.credentialId(), urls.base() + STYLESHEET_PATH);
        return render("credential.jte", page);
    }

    /** Answers with {@code body} as HTML under the pages' security headers. */
    static void html(Context ctx, String body) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.contentType("text/html; charset=utf-8").result(body);
    }

    private String render(String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        return out.toString();
    }
}
