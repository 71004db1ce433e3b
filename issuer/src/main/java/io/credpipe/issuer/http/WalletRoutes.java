package io.credpipe.issuer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.IssuerMetadata;
import io.credpipe.issuer.delivery.OAuthError;
import io.credpipe.issuer.delivery.QrCode;
import io.credpipe.issuer.delivery.WalletEndpoints;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OpenID4VCI routes (see {@link WalletIssuance}) and the operator's "Add to wallet" page.
 *
 * <p>The OAuth endpoints answer errors as OAuth does ({@code application/json} with {@code error} and
 * {@code error_description}, RFC 6749 §5.2; a bad access token is 401 with {@code WWW-Authenticate},
 * RFC 6750 §3), because wallets read exactly that; the page and the offer URI answer RFC 9457
 * problems. Every answer carrying a code, token or nonce is {@code Cache-Control: no-store}.
 */
public final class WalletRoutes {

    /** The "Add to wallet" page of one of the operator's credentials. */
    public static final String PAGE_PATH = "/o/{token}/wallet/{credentialId}";
    static final String JSON = "application/json";
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final WalletIssuance issuance;
    private final IssuerMetadata metadata;
    private final Supplier<List<Framework>> frameworks;
    private final AccessLinkResolver links;
    private final String issuerName;
    private final String stylesheet;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final ObjectMapper mapper = Json.newMapper();

    public WalletRoutes(WalletIssuance issuance, IssuerMetadata metadata, Supplier<List<Framework>> frameworks,
            AccessLinkResolver links, String issuerName) {
        this.issuance = Objects.requireNonNull(issuance, "issuance");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.frameworks = Objects.requireNonNull(frameworks, "frameworks");
        this.links = Objects.requireNonNull(links, "links");
        this.issuerName = Objects.requireNonNull(issuerName, "issuerName");
        this.stylesheet = issuance.endpoints().base() + PublicPages.STYLESHEET_PATH;
    }

    public void addTo(Javalin http) {
        http.get(WalletEndpoints.ISSUER_METADATA_PATH, ctx -> {
            ctx.header("Cache-Control", "public, max-age=60");
            json(ctx, 200, metadata.issuer(frameworks.get()));
        });
        http.get(WalletEndpoints.AUTHORIZATION_SERVER_METADATA_PATH, ctx -> {
            ctx.header("Cache-Control", "public, max-age=3600");
            json(ctx, 200, metadata.authorizationServer());
        });
        http.get(WalletEndpoints.LOGO_PATH, ctx -> {
            ctx.header("Cache-Control", "public, max-age=86400");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("image/svg+xml").result(LOGO);
        });
        http.get(WalletEndpoints.OFFER_PATH, this::offer);
        http.post(WalletEndpoints.TOKEN_PATH, ctx -> oauth(ctx, () -> {
            Map<String, String> form = new HashMap<>();
            ctx.formParamMap().forEach((name, values) -> {
                if (values.size() > 1) {
                    // RFC 6749 §3.2: request parameters must not be included more than once.
                    throw OAuthError.badRequest("invalid_request", name + " is repeated");
                }
                form.put(name, values.get(0));
            });
            return issuance.token(form);
        }));
        http.post(WalletEndpoints.NONCE_PATH, ctx -> oauth(ctx, issuance::nonce));
        http.post(WalletEndpoints.CREDENTIAL_PATH, ctx -> oauth(ctx, () -> issuance.credential(bearer(ctx), body(ctx))));
        http.post(WalletEndpoints.NOTIFICATION_PATH, ctx -> {
            try {
                issuance.notification(bearer(ctx), body(ctx));
                ctx.status(204);
            } catch (OAuthError e) {
                error(ctx, e);
            }
        });
        http.get(PAGE_PATH, this::page);
    }

    private void offer(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ObjectNode offer = issuance.offerDocument(ctx.queryParam(WalletEndpoints.OFFER_ID_PARAMETER)).orElseThrow(() -> new ProblemException(
                Problem.of("offer-not-found", "No such offer", 404,
                        "This wallet offer is unknown or has expired. Open the credential's page again for a new one.")));
        json(ctx, 200, offer);
    }

    private void page(Context ctx) {
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        String operatorId = links.operatorId(ctx.pathParam("token")).orElseThrow(() -> new ProblemException(
                Problem.of("link-not-found", "Link not valid", 404,
                        "This link is unknown, has expired or was withdrawn. Ask your HR contact for a new one.")));
        CredentialRecord record = issuance.offerable(operatorId, ctx.pathParam("credentialId"))
                .orElseThrow(() -> new ProblemException(Problem.of("credential-not-offerable",
                        "This credential cannot go to a wallet", 404,
                        "It is not one of your current credentials: it may have been revoked, suspended or expired.")));
        WalletIssuance.OfferView offer = issuance.offer(record);
        String name = record.credential().path("name").asText(record.issued().framework() + " " + record.issued().level().id());
        WalletPage page = new WalletPage(name, issuerName, offer.offerLink(),
                QrCode.of(offer.offerLink()), offer.txCode().orElse(null),
                EXPIRY.format(offer.expiresAt()), stylesheet);
        StringOutput out = new StringOutput();
        templates.render("wallet.jte", page, out);
        PublicPages.html(ctx, out.toString());
    }

    private void oauth(Context ctx, Supplier<ObjectNode> answer) {
        // RFC 6749 §5.1 (token), OpenID4VCI 1.0 §7.2 (nonce): never cached.
        ctx.header("Cache-Control", "no-store");
        try {
            json(ctx, 200, answer.get());
        } catch (OAuthError e) {
            error(ctx, e);
        }
    }

    private void error(Context ctx, OAuthError e) {
        ctx.header("Cache-Control", "no-store");
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer error=\"" + e.error() + "\"");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        json(ctx, e.status(), body);
    }

    /** The bearer token (RFC 6750 §2.1); null when there is none. */
    private static String bearer(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private JsonNode body(Context ctx) {
        try {
            return mapper.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            return null;
        }
    }

    private void json(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(JSON).result(mapper.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A plain badge: the wallet shows it beside the issuer's name. */
    private static final String LOGO = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
            + "<rect width=\"64\" height=\"64\" rx=\"12\" fill=\"#12355b\"/>"
            + "<path d=\"M32 12l16 7v12c0 10-7 18-16 21-9-3-16-11-16-21V19z\" fill=\"#ffffff\"/>"
            + "<path d=\"M25 32l5 5 10-11\" stroke=\"#12355b\" stroke-width=\"4\" fill=\"none\"/></svg>";
}
