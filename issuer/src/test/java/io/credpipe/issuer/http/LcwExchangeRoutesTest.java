package io.credpipe.issuer.http;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.DidAuthentication;
import io.credpipe.issuer.delivery.LcwExchanges;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Learner Credential Wallet's exchange, driven over HTTP by a test client that plays the wallet
 * as the DCC workflow runs it: open the operator's page through the private link, follow the deep
 * link (ask for the presentation request, then answer it with a DID Authentication signed by the
 * holder's did:key), and receive the credential, bound to that DID and secured with a Data
 * Integrity proof. Single use, expiry, wrong challenges and other operators' links are refused.
 */
class LcwExchangeRoutesTest {

    private static final Pattern DEEP_LINK = Pattern.compile("id=\"deep-link\" href=\"([^\"]+)\"");

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final EddsaRdfc2022 suite = DataIntegritySigner.suite();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-05-21T08:00:00Z"));
    private final java.util.List<io.credpipe.model.delivery.DeliveryEvent> deliveries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private IssuerKeys keys;
    private IssuedCredential danas;
    private IssuedCredential anonymous;
    private Javalin http;

    @BeforeEach
    void server() throws Exception {
        keys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys published = new PublishedKeys(keys, URLS);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS), keys.identitySalts(),
                published.signer(), Clock.fixed(Instant.parse("2026-05-21T08:00:00Z"), ZoneOffset.UTC));
        danas = issuer.issue(Fixtures.proficient(DANA), Fixtures.chemical());
        anonymous = issuer.issue(Fixtures.proficient(ANONYMOUS), Fixtures.chemical());
        Map<String, IssuedCredential> store = new HashMap<>();
        store.put(danas.credentialId(), danas);
        store.put(anonymous.credentialId(), anonymous);
        AccessLinkResolver links = token -> switch (token) {
            case "dana-link" -> Optional.of(DANA.id());
            case "anonymous-link" -> Optional.of(ANONYMOUS.id());
            default -> Optional.empty();
        };
        http = ProblemServer.create();
        new LcwExchangeRoutes(links, id -> Optional.ofNullable(store.get(id)),
                new LcwExchanges(new io.credpipe.issuer.delivery.WalletIssuanceTest.MemoryLedger(), new byte[32], clock),
                published.dataIntegritySigner(new DidWebDocument(URLS).did(), suite, clock), new DidAuthentication(suite), URLS,
                deliveries::add).addTo(http);
        http.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    @Test
    void theWalletCollectsTheCredentialBoundToItsDidWithAVerifiableProof() throws Exception {
        Wallet wallet = new Wallet();
        DeepLink link = openPage("dana-link", danas.credentialId());

        JsonNode request = mapper.readTree(post(link.exchangePath(), "{}").body()).path("verifiablePresentationRequest");
        assertThat(request.at("/query/0/type").asText()).isEqualTo("DIDAuthentication");
        assertThat(request.path("challenge").asText()).isEqualTo(link.challenge());
        assertThat(request.at("/interact/service/0/serviceEndpoint").asText()).isEqualTo(link.vcRequestUrl());

        // The VC-API exchange wraps the presentation (LCW's constructExchangeRequest), and so does the answer.
        HttpResponse<String> response = post(link.exchangePath(), "{\"verifiablePresentation\":"
                + wallet.didAuthentication(link.challenge(), request.path("domain").asText()) + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode credential = mapper.readTree(response.body()).at("/verifiablePresentation/verifiableCredential/0");
        ObjectNode stored = CredentialSigner.signedDocument(danas.jwt());
        assertThat(credential.at("/credentialSubject/id").asText()).isEqualTo(wallet.did);
        assertThat(credential.get("id")).isEqualTo(stored.get("id"));
        assertThat(credential.get("credentialStatus")).isEqualTo(stored.get("credentialStatus"));
        assertThat(suite.verify(EddsaRdfc2022.split(credential), Ed25519Multikey.publicKey(keys.dataIntegrityPublicKeys().get(0))))
                .isTrue();
        // Single use: the same presentation again, or anyone else, gets nothing.
        assertThat(post(link.exchangePath(), wallet.didAuthentication(link.challenge(), request.path("domain").asText())).statusCode())
                .isEqualTo(410);
        // The deliveries topic hears of the offer and of the collection, with the holder's DID; never a token.
        assertThat(deliveries).extracting(e -> e.kind().id()).containsExactly("offered", "redeemed");
        assertThat(deliveries.get(1).holder()).isEqualTo(wallet.did);
        assertThat(deliveries.get(1).credentialId()).isEqualTo(danas.credentialId());
        assertThat(deliveries.toString()).doesNotContain("dana-link").doesNotContain(link.challenge());
    }

    @Test
    void theWalletsDirectDeepLinkFlowWorksWithoutAskingForTheRequestFirst() throws Exception {
        Wallet wallet = new Wallet();
        DeepLink link = openPage("dana-link", danas.credentialId());

        // LCW's requestCredential posts the bare presentation to vc_request_url and reads a bare VC or VP.
        HttpResponse<String> response = post(link.exchangePath(), wallet.didAuthentication(link.challenge(), "credentials.example.com"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = mapper.readTree(response.body());
        assertThat(answer.path("type").toString()).contains("VerifiablePresentation");
        assertThat(answer.at("/verifiableCredential/0/credentialSubject/id").asText()).isEqualTo(wallet.did);
    }

    @Test
    void aWrongChallengeOrATamperedPresentationIsRefusedAndDoesNotUseTheExchangeUp() throws Exception {
        Wallet wallet = new Wallet();
        DeepLink link = openPage("dana-link", danas.credentialId());

        HttpResponse<String> wrong = post(link.exchangePath(), wallet.didAuthentication("another-challenge", "credentials.example.com"));
        ObjectNode tampered = (ObjectNode) mapper.readTree(wallet.didAuthentication(link.challenge(), "credentials.example.com"));
        tampered.put("holder", new Wallet().did);
        HttpResponse<String> forged = post(link.exchangePath(), tampered.toString());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(post(link.exchangePath(), wallet.didAuthentication(link.challenge(), "credentials.example.com")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anExpiredExchangeIsGone() throws Exception {
        DeepLink link = openPage("dana-link", danas.credentialId());
        clock.advance(LcwExchanges.TIME_TO_LIVE.plusSeconds(1));

        HttpResponse<String> response = post(link.exchangePath(), new Wallet().didAuthentication(link.challenge(), "credentials.example.com"));

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body()).contains("expired");
    }

    @Test
    void aLinkOpensOnlyItsOwnOperatorsCredentialsAndUnknownLinksAndExchangesAreNotFound() throws Exception {
        assertThat(get("/o/anonymous-link/lcw/" + danas.credentialId()).statusCode()).isEqualTo(404);
        assertThat(get("/o/no-such-link/lcw/" + danas.credentialId()).statusCode()).isEqualTo(404);
        assertThat(post("/exchanges/no-such-exchange", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageHasAStrictCspAndDrawsTheQrCodeInline() throws Exception {
        HttpResponse<String> page = get("/o/dana-link/lcw/" + danas.credentialId());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<svg id=\"qr\"").contains("<path d=\"M").doesNotContain("<script");
        assertThat(page.body()).contains(danas.credentialId() + ".ld.json");
    }

    // ---- the wallet ----

    /** A holder with an Ed25519 did:key, as the Learner Credential Wallet makes one. */
    private final class Wallet {
        final KeyPair key;
        final String did;

        Wallet() throws Exception {
            key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            did = "did:key:" + Ed25519Multikey.publicKeyMultibase(key.getPublic());
        }

        String didAuthentication(String challenge, String domain) {
            ObjectNode presentation = mapper.createObjectNode();
            presentation.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
            presentation.putArray("type").add("VerifiablePresentation");
            presentation.put("holder", did);
            ObjectNode proof = EddsaRdfc2022.proofOptions(did + "#" + did.substring("did:key:".length()), clock.instant());
            proof.put("proofPurpose", "authentication");
            proof.put("challenge", challenge);
            proof.put("domain", domain);
            return suite.sign(presentation, proof, key.getPrivate()).toString();
        }
    }

    private record DeepLink(String challenge, String vcRequestUrl) {
        String exchangePath() {
            return URI.create(vcRequestUrl).getPath();
        }
    }

    private DeepLink openPage(String token, String credentialId) throws Exception {
        HttpResponse<String> page = get("/o/" + token + "/lcw/" + credentialId);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher matcher = DEEP_LINK.matcher(page.body());
        assertThat(matcher.find()).isTrue();
        URI link = URI.create(matcher.group(1).replace("&amp;", "&"));
        assertThat(link.getHost()).isEqualTo("lcw.app");
        Map<String, String> query = new HashMap<>();
        for (String pair : link.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        assertThat(query).containsEntry("auth_type", "bearer").containsKey("issuer");
        return new DeepLink(query.get("challenge"), query.get("vc_request_url"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
