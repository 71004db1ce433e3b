package io.credpipe.verifier.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.verifier.ReportDocument;
import io.credpipe.verifier.VerificationReport;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The employer-facing routes, a thin adapter over {@link OnlineVerification}:
 *
 * <ul>
 *   <li>{@code POST /v1/verify}: the body is a credential — a compact JWS
 *       ({@code application/jwt}, {@code application/vc+jwt} or {@code text/plain}), JSON
 *       ({@code application/json}: a credential, an {@code EnvelopedVerifiableCredential}, or
 *       {@code {"url": "…"}}) — and the answer the {@link ReportDocument} with its verdict. Input
 *       that cannot be read is an RFC 9457 problem: 400 unreadable, 413 too large, 415 media type.</li>
 *   <li>{@code GET /verify}: the page to paste, upload or link a credential;
 *       {@code GET /verify?url=…} verifies the credential at that URL and renders the result card
 *       on the server, so the page needs no JavaScript.</li>
 *   <li>{@code POST /verify}: the page's form (pasted text or an uploaded file).</li>
 *   <li>{@code GET /verify.css}: the page's one stylesheet.</li>
 *   <li>{@code GET /verify/openapi.json}: the OpenAPI 3.1 document of {@code POST /v1/verify}. It is
 *       the verifier's own: ingest's {@code /openapi.json} documents exactly ingest's routes.</li>
 * </ul>
 *
 * <p>Every page carries a strict Content-Security-Policy (nothing but same-origin styles and
 * images, no scripts, no framing), {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}: a credential URL in the query string must not leak to the
 * statement links the card shows.
 */
public final class VerifyRoutes {

    /** The Content-Security-Policy of every page. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** RFC 9457 §3. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The templates' package, set in the verifier's pom (jte-maven-plugin). */
    private static final String TEMPLATES = "io.credpipe.verifier.http.templates";
    /** Where the OpenAPI document of {@code POST /v1/verify} is served. */
    public static final String OPENAPI_PATH = "/verify/openapi.json";
    /** A form adds its own framing (boundaries, field names) around the credential. */
    private static final int FORM_OVERHEAD = 64 * 1024;

    private final OnlineVerification verification;
    private final Clock clock;
    private final ObjectMapper mapper = Json.newMapper();
    private final TemplateEngine templates =
            TemplateEngine.createPrecompiled(null, ContentType.Html, VerifyRoutes.class.getClassLoader(), TEMPLATES);
    private final byte[] css;
    private final byte[] openApi;

    /**
     * Creates the routes.
     *
     * @param verification how credentials are verified
     */
    public VerifyRoutes(OnlineVerification verification) {
        this(verification, Clock.systemUTC());
    }

    VerifyRoutes(OnlineVerification verification, Clock clock) {
        this.verification = Objects.requireNonNull(verification, "verification");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.css = resource("verify.css");
        this.openApi = resource("openapi.json");
    }

    /**
     * Adds the routes.
     *
     * @param app the server
     */
    public void addTo(Javalin app) {
        app.post("/v1/verify", this::api);
        app.get("/verify", this::page);
        app.post("/verify", this::form);
        app.get("/verify.css", this::stylesheet);
        app.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
    }

    private static byte[] resource(String name) {
        try (InputStream in = VerifyRoutes.class.getResourceAsStream(name)) {
            return Objects.requireNonNull(in, name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void api(Context ctx) throws JsonProcessingException {
        try {
            CredentialInput input = apiInput(ctx);
            ReportDocument document = ReportDocument.of(verification.verify(input), clock.instant());
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("application/json").result(mapper.writeValueAsBytes(document));
        } catch (ProblemException e) {
            ctx.status(e.problem().status()).contentType(PROBLEM_JSON).result(mapper.writeValueAsBytes(e.problem()));
        }
    }

    private CredentialInput apiInput(Context ctx) {
        String type = mediaType(ctx.contentType());
        if (!type.equals("application/json") && !type.endsWith("+json") && !type.equals("application/jwt")
                && !type.equals("application/vc+jwt") && !type.equals("text/plain")) {
            throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    (type.isEmpty() ? "The request has no Content-Type. " : "Content-Type " + type + " is not accepted. ")
                            + "Send the credential as application/jwt, application/vc+jwt or text/plain (a compact JWS), "
                            + "or application/json (a credential, or {\"url\": \"…\"})."));
        }
        byte[] body = body(ctx, CredentialInput.MAX_BYTES);
        if (type.endsWith("jwt")) {
            String token = new String(body, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw CredentialInput.unreadable("The body is empty.");
            }
            return new CredentialInput.Jws(token);
        }
        if (type.equals("text/plain")) {
            return CredentialInput.fromText(new String(body, StandardCharsets.UTF_8));
        }
        return CredentialInput.fromJson(body);
    }

    private void page(Context ctx) {
        String url = ctx.queryParam("url");
        if (url == null || url.isBlank()) {
            render(ctx, 200, VerifyPage.form());
            return;
        }
        try {
            CredentialInput.Url input = new CredentialInput.Url(CredentialInput.url(url));
            render(ctx, 200, new VerifyPage(url.strip(), card(input, url.strip()), null));
        } catch (ProblemException e) {
            render(ctx, e.problem().status(), new VerifyPage(url.strip(), null, e.problem().detail()));
        }
    }

    private void form(Context ctx) {
        try {
            long length = ctx.req().getContentLengthLong();
            if (length < 0 || length > CredentialInput.MAX_BYTES + FORM_OVERHEAD) {
                throw tooLarge();
            }
            String text = null;
            String source = "pasted text";
            UploadedFile file = mediaType(ctx.contentType()).equals("multipart/form-data") ? ctx.uploadedFile("file") : null;
            if (file != null && file.size() > 0) {
                try (InputStream in = file.content()) {
                    byte[] bytes = in.readNBytes(CredentialInput.MAX_BYTES + 1);
                    if (bytes.length > CredentialInput.MAX_BYTES) {
                        throw tooLarge();
                    }
                    text = new String(bytes, StandardCharsets.UTF_8);
                    source = "the file " + file.filename();
                } catch (IOException e) {
                    throw CredentialInput.unreadable("The uploaded file could not be read.");
                }
            }
            if (text == null) {
                text = Objects.requireNonNullElse(ctx.formParam("credential"), "");
            }
            if (text.isBlank()) {
                throw CredentialInput.unreadable("Paste a credential or choose its file, then check it.");
            }
            render(ctx, 200, new VerifyPage("", card(CredentialInput.fromText(text), source), null));
        } catch (ProblemException e) {
            render(ctx, e.problem().status(), new VerifyPage("", null, e.problem().detail()));
        }
    }

    private ResultCard card(CredentialInput input, String source) {
        Instant now = clock.instant();
        VerificationReport report = verification.verify(input);
        return ResultCard.of(ReportDocument.of(report, now), source, now);
    }

    private void stylesheet(Context ctx) {
        securityHeaders(ctx);
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType("text/css; charset=utf-8").result(css);
    }

    private void render(Context ctx, int status, VerifyPage page) {
        StringOutput out = new StringOutput();
        templates.render("verify.jte", page, out);
        securityHeaders(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** Reads at most {@code max} bytes of the body; more is a 413 problem, whatever Content-Length said. */
    private static byte[] body(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw CredentialInput.unreadable("The request body could not be read.");
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(Problem.of("payload-too-large", "Payload too large", 413,
                "A credential is at most " + CredentialInput.MAX_BYTES / 1024 + " KiB."));
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
