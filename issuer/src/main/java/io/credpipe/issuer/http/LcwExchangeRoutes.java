package io.credpipe.issuer.http;

import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.DeliveryLog;
import io.credpipe.issuer.delivery.DidAuthentication;
import io.credpipe.issuer.delivery.LcwExchanges;
import io.credpipe.issuer.delivery.QrCode;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DataIntegritySigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Delivery to the Learner Credential Wallet (Digital Credentials Consortium) through a VC-API
 * exchange, as the DCC workflow runs it:
 *
 * <ul>
 *   <li>{@code GET /o/{token}/lcw/{credentialId}}: the operator's page (reached through the private
 *       link) opens a single-use, expiring exchange for one of the operator's credentials and shows
 *       the wallet's deep link ({@code https://lcw.app/request.html?issuer=…&auth_type=bearer&challenge=…&vc_request_url=…})
 *       and its QR code.</li>
 *   <li>{@code POST /exchanges/{id}} (VC-API "Participate in an exchange"): with an empty body
 *       ({@code {}}) it answers a Verifiable Presentation Request for {@code DIDAuthentication} with
 *       the exchange's challenge and our domain; with the wallet's DID Authentication (the
 *       presentation, or {@code {"verifiablePresentation": …}}) it checks it
 *       ({@link DidAuthentication}), uses the exchange up, and answers
 *       {@code {"verifiablePresentation": {…, "verifiableCredential": [credential]}}} (the bare
 *       presentation when the wallet posted a bare one, as its direct deep-link request does): the stored
 *       credential bound to the holder's DID ({@code credentialSubject.id}, DESIGN.md "Identifiers":
 *       a wallet-bound copy keeps the original's {@code id} and status entry) with an
 *       {@code eddsa-rdfc-2022} proof made now. Unknown exchanges are 404, expired or used ones
 *       410, a DID Authentication that does not verify 401; all RFC 9457 problems.</li>
 * </ul>
 */
public final class LcwExchangeRoutes {

    /** Where exchanges are, followed by their id. */
    public static final String EXCHANGES_PATH = "/exchanges/";


    static final String VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";

    private final AccessLinkResolver links;
    private final DeliveryLog deliveries;
    private final IssuerRoutes.CredentialLookup credentials;
    private final LcwExchanges exchanges;
    private final DataIntegritySigner signer;
    private final DidAuthentication didAuthentication;
    private final PublicUrls urls;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(gg.jte.ContentType.Html);
    private final ObjectMapper mapper = Json.newMapper();

    /**
     * @param links       opens operators' private links; the operator page's resolver
     * @param credentials where issued credentials are looked up
     * @param exchanges   the open exchanges
     * @param signer      makes the Data Integrity proofs
     * @param didAuthentication checks wallets' DID Authentications
     * @param urls        the issuer's public URLs
     * @param deliveries  where an opened exchange ({@code offered}) and a collected credential
     *                    ({@code redeemed}, with the holder's DID) are recorded
     */
    public LcwExchangeRoutes(AccessLinkResolver links, IssuerRoutes.CredentialLookup credentials, LcwExchanges exchanges,
            DataIntegritySigner signer, DidAuthentication didAuthentication, PublicUrls urls, DeliveryLog deliveries) {
        this.links = Objects.requireNonNull(links, "links");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.exchanges = Objects.requireNonNull(exchanges, "exchanges");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.didAuthentication = Objects.requireNonNull(didAuthentication, "didAuthentication");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    public void addTo(Javalin http) {
        http.get("/o/{token}/lcw/{credentialId}", this::page);
        http.post(EXCHANGES_PATH + "{id}", this::participate);
    }

    /** The URL of exchange {@code id}: the deep link's {@code vc_request_url}. */
    public String exchangeUrl(String id) {
        return urls.base() + EXCHANGES_PATH + id;
    }

    /** The wallet's deep link for {@code exchange} (the DCC's "directDeepLink", the one the wallet follows). */
    public String deepLink(LcwExchanges.Exchange exchange) {
        return "https://lcw.app/request.html?issuer=" + URLEncoder.encode(domain(), StandardCharsets.UTF_8)
                + "&auth_type=bearer&challenge=" + exchange.challenge()
                + "&vc_request_url=" + URLEncoder.encode(exchangeUrl(exchange.id()), StandardCharsets.UTF_8);
    }

    private void page(Context ctx) {
        // The same answer for an unknown token and another operator's credential: the link reveals nothing.
        String operatorId = links.operatorId(ctx.pathParam("token")).orElseThrow(LcwExchangeRoutes::notFound);
        String credentialId = ctx.pathParam("credentialId");
        IssuedCredential issued = credentials.find(credentialId).filter(c -> c.operatorId().equals(operatorId))
                .orElseThrow(LcwExchangeRoutes::notFound);
        LcwExchanges.Exchange exchange = exchanges.open(operatorId, issued.credentialId());
        deliveries.record(event(DeliveryKind.OFFERED, issued, "Learner Credential Wallet exchange (VC-API), until "
                + exchange.expiresAt(), null));
        String deepLink = deepLink(exchange);
        JsonNode credential = CredentialSigner.signedDocument(issued.jwt());
        LcwPage page = new LcwPage(credential.path("name").asText(issued.credentialId()), deepLink, QrCode.of(deepLink),
                exchange.expiresAt().toString(), urls.base() + "/credentials/" + issued.credentialId() + IssuerRoutes.LD_JSON_SUFFIX,
                urls.base() + PublicPages.STYLESHEET_PATH);
        StringOutput out = new StringOutput();
        templates.render("lcw.jte", page, out);
        ctx.header("Cache-Control", "no-store");
        PublicPages.html(ctx, out.toString());
    }

    private void participate(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        LcwExchanges.State state = exchanges.state(id);
        if (state != LcwExchanges.State.OPEN) {
            throw state == LcwExchanges.State.UNKNOWN
                    ? new ProblemException(Problem.of("exchange-not-found", "Exchange not found", 404, "no exchange has this id"))
                    : new ProblemException(Problem.of("exchange-gone", "Exchange no longer open", 410,
                            state == LcwExchanges.State.USED ? "the credential of this exchange was already collected; open the page again"
                                    : "this exchange has expired; open the page again for a new one"));
        }
        JsonNode body = ctx.body().isBlank() ? mapper.createObjectNode() : readBody(ctx.body());
        JsonNode presentation = body.has("verifiablePresentation") ? body.get("verifiablePresentation") : body;
        LcwExchanges.Exchange exchange = exchanges.find(id).orElseThrow(() -> new ProblemException(Problem.of(
                "exchange-gone", "Exchange no longer open", 410, "this exchange has just closed")));
        ctx.header("Cache-Control", "no-store");
        if (presentation.isEmpty()) {
            ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsBytes(presentationRequest(exchange)));
            return;
        }
        DidAuthentication.Result auth = didAuthentication.check(presentation, exchange.challenge(), domain());
        if (!auth.authenticated()) {
            throw new ProblemException(Problem.of("did-authentication-failed", "DID Authentication failed", 401, auth.failure()));
        }
        LcwExchanges.Exchange used = exchanges.use(id).orElseThrow(() -> new ProblemException(Problem.of(
                "exchange-gone", "Exchange no longer open", 410, "the credential of this exchange was already collected")));
        IssuedCredential issued = credentials.find(used.credentialId()).orElseThrow(LcwExchangeRoutes::notFound);
        ObjectNode credential = CredentialSigner.signedDocument(issued.jwt());
        ((ObjectNode) credential.get("credentialSubject")).put("id", auth.holder());
        ObjectNode secured = signer.secure(credential);
        deliveries.record(event(DeliveryKind.REDEEMED, issued, "collected by the Learner Credential Wallet (VC-API exchange)",
                auth.holder()));
        ObjectNode vp = mapper.createObjectNode();
        vp.putArray("@context").add(VC_CONTEXT);
        vp.putArray("type").add("VerifiablePresentation");
        vp.putArray("verifiableCredential").add(secured);
        // Answer in the request's shape: the VC-API exchange wraps the presentation both ways
        // ({"verifiablePresentation": …}); the wallet's direct deep-link request (LCW's
        // requestCredential) posts the bare presentation and reads a bare VC or VP back.
        JsonNode answer = body.has("verifiablePresentation") ? mapper.createObjectNode().set("verifiablePresentation", vp) : vp;
        ctx.contentType(IssuerRoutes.JSON).result(mapper.writeValueAsBytes(answer));
    }

    /** VP Request v0.3 §3: ask for a DID Authentication over the exchange's challenge, back to this exchange. */
    private ObjectNode presentationRequest(LcwExchanges.Exchange exchange) {
        ObjectNode response = mapper.createObjectNode();
        ObjectNode vpr = response.putObject("verifiablePresentationRequest");
        vpr.putArray("query").addObject().put("type", "DIDAuthentication").putArray("acceptedMethods").addObject().put("method", "key");
        vpr.putArray("acceptedCryptosuites").add(mapper.createObjectNode().put("cryptosuite", "eddsa-rdfc-2022"))
                .add(mapper.createObjectNode().put("cryptosuite", "Ed25519Signature2020"));
        vpr.put("challenge", exchange.challenge());
        vpr.put("domain", domain());
        vpr.putObject("interact").putArray("service").addObject()
                .put("type", "UnmediatedPresentationService2021").put("serviceEndpoint", exchangeUrl(exchange.id()));
        return response;
    }

    private JsonNode readBody(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw new IOException("not an object");
            }
            return json;
        } catch (IOException e) {
            throw new ProblemException(Problem.of("invalid-presentation", "Invalid presentation", 400,
                    "the body must be empty, {}, or a JSON Verifiable Presentation"));
        }
    }

    /** Our host (and port), the domain a DID Authentication is bound to. */
    private String domain() {
        URI base = URI.create(urls.base());
        return base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    private static DeliveryEvent event(DeliveryKind kind, IssuedCredential issued, String detail, String holder) {
        return new DeliveryEvent(kind, issued.operatorId(), issued.credentialId(), issued.framework().toString(),
                issued.level().id(), java.time.Instant.now(), detail, holder);
    }

    private static ProblemException notFound() {
        return new ProblemException(Problem.of("not-found", "Not found", 404, "no such credential behind this link"));
    }
}
