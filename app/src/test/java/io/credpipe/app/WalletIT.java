package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.app.demo.AssessmentClient;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenID4VCI wallet issuance against the running pipeline, over HTTP, with the tests' own wallet
 * ({@link WalletClient}): the whole flow, then each way a wallet can get it wrong. Offers need a
 * transaction code here, live 15 s and nonces 6 s, so that expiry is seen without a fake clock.
 */
@ExtendWith(RealKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletIT {

    static final Duration OFFER_LIFETIME = Duration.ofSeconds(15);
    static final Duration NONCE_LIFETIME = Duration.ofSeconds(6);

    private final ObjectMapper mapper = Json.newMapper();
    private final WalletClient wallet = new WalletClient();
    private final List<DeliveryEvent> deliveries = new CopyOnWriteArrayList<>();
    private Pipeline pipeline;
    private String base;
    private IssuedCredential dana;
    private IssuedCredential lee;

    @BeforeAll
    void start(KafkaBroker kafka, @TempDir Path data) throws Exception {
        // The links helper's store stands in as a map: token -> operator.
        Map<String, String> links = Map.of("link-dana", "acme:W1", "link-lee", "acme:W2");
        WalletSettings settings = WalletSettings.DEFAULTS.withTxCode(true).withOfferLifetime(OFFER_LIFETIME)
                .withNonceLifetime(NONCE_LIFETIME);
        pipeline = Pipeline.start(new Pipeline.Options(Optional.of(kafka.bootstrapServers()), data, Optional.of(2),
                "127.0.0.1", 0, Optional.empty(), "credpipe wallet test issuer", Optional.empty(),
                EnumSet.allOf(Pipeline.Service.class)),
                new Pipeline.Wallet(settings, token -> Optional.ofNullable(links.get(token)), deliveries::add));
        base = pipeline.httpBase("127.0.0.1");
        String key = pipeline.apiKeys().rotate("hr1", false).key();
        dana = earn(key, new Operator("acme:W1", "Dana Ruiz", "dana@example.com"), "d");
        lee = earn(key, new Operator("acme:W2", "Lee Chen", "lee@example.com"), "l");
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private IssuedCredential earn(String key, Operator operator, String prefix) throws Exception {
        Framework chemical = SeedFrameworks.load().get(0);
        AssessmentClient client = new AssessmentClient(base, key);
        Instant when = Instant.parse("2026-05-20T09:30:00Z");
        int n = 0;
        for (Statement statement : chemical.statements(Level.EMERGING)) {
            n++;
            HttpResponse<String> sent = client.send(AssessmentEvent.recorded("wallet-" + prefix + n, when.plusSeconds(60L * n),
                    "hr1", operator, statement.id(), AssessmentResult.PASS, new Assessor("acme:S77", "Sam"), "observation"));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        }
        return CredentialsTopic.awaitOnly(pipeline.bootstrapServers(), operator.id());
    }

    /** Opens the wallet page, waiting for the credential's status list to reach the issuer's store. */
    WalletClient.PageOffer page(String token, String credentialId) throws Exception {
        Instant deadline = Instant.now().plus(KafkaBroker.PATIENCE);
        HttpResponse<String> page;
        do {
            page = wallet.get(base + "/o/" + token + "/wallet/" + credentialId);
            if (page.statusCode() == 200) {
                assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
                assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
                assertThat(page.body()).contains("<svg");
                return WalletClient.parsePage(page.body());
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the wallet page never opened: " + page.statusCode() + " " + page.body());
    }

    /** The pre-authorized code of an offer, fetched as a wallet does. */
    String code(WalletClient.PageOffer offer) throws Exception {
        WalletClient.Answer fetched = wallet.getJson(offer.credentialOfferUri());
        assertThat(fetched.status()).isEqualTo(200);
        return fetched.json().path("grants").path("urn:ietf:params:oauth:grant-type:pre-authorized_code")
                .path("pre-authorized_code").asText();
    }

    String configurationId(IssuedCredential credential) {
        return credential.framework() + "/" + credential.level().id();
    }

    @Test
    void aWalletReceivesACopyBoundToItsKeyThatEmployersVerify() throws Exception {
        WalletClient.PageOffer offer = page("link-dana", dana.credentialId());
        assertThat(offer.offerLink()).startsWith("openid-credential-offer://?credential_offer_uri=");
        assertThat(offer.txCode()).matches("[0-9]{6}");

        // Wallets fetch the offer twice: the same document both times.
        WalletClient.Answer first = wallet.getJson(offer.credentialOfferUri());
        WalletClient.Answer second = wallet.getJson(offer.credentialOfferUri());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.response().headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(first.json().path("credential_issuer").asText()).isEqualTo(base);
        assertThat(first.json().path("credential_configuration_ids").get(0).asText()).isEqualTo(configurationId(dana));
        JsonNode grant = first.json().path("grants").path("urn:ietf:params:oauth:grant-type:pre-authorized_code");
        assertThat(grant.path("tx_code").path("length").asInt()).isEqualTo(6);
        String code = grant.path("pre-authorized_code").asText();
        assertThat(Base64.getUrlDecoder().decode(code)).hasSizeGreaterThanOrEqualTo(16);

        JsonNode metadata = wallet.getJson(base + "/.well-known/openid-credential-issuer").json();
        JsonNode configuration = metadata.path("credential_configurations_supported").path(configurationId(dana));
        assertThat(configuration.path("format").asText()).isEqualTo("jwt_vc_json");
        assertThat(configuration.path("credential_metadata").path("display").get(0).path("name").asText()).isNotBlank();
        assertThat(configuration.path("display")).isEqualTo(configuration.path("credential_metadata").path("display"));
        JsonNode authorizationServer = wallet.getJson(base + "/.well-known/oauth-authorization-server").json();
        String tokenEndpoint = authorizationServer.path("token_endpoint").asText();

        WalletClient.Answer token = wallet.token(tokenEndpoint, code, offer.txCode());
        assertThat(token.status()).as(token.response().body()).isEqualTo(200);
        assertThat(token.json().has("authorization_details")).isFalse();
        assertThat(token.response().headers().firstValue("Cache-Control")).contains("no-store");
        String accessToken = token.json().path("access_token").asText();

        WalletClient.Answer nonce = wallet.nonce(metadata.path("nonce_endpoint").asText());
        assertThat(nonce.response().headers().firstValue("Cache-Control")).contains("no-store");
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        String proof = WalletClient.proof(holder, holder, base, nonce.json().path("c_nonce").asText(), Instant.now());
        WalletClient.Answer issued = wallet.credential(metadata.path("credential_endpoint").asText(), accessToken,
                configurationId(dana), proof);
        assertThat(issued.status()).as(issued.response().body()).isEqualTo(200);
        String copy = issued.json().path("credentials").get(0).path("credential").asText();

        VerificationReport report = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                .trustedKeys(URI.create(base + "/.well-known/jwks.json")).build().verify(copy);
        assertThat(report.verified()).as(report.describe()).isTrue();
        JsonNode payload = payload(copy);
        JsonNode original = payload(dana.jwt());
        String holderDid = payload.path("credentialSubject").path("id").asText();
        assertThat(holderDid).startsWith("did:jwk:");
        assertThat(io.credpipe.issuer.signing.HolderDid.publicKey(holderDid).computeThumbprint())
                .isEqualTo(holder.computeThumbprint());
        assertThat(payload.path("sub").asText()).isEqualTo(holderDid);
        assertThat(payload.path("credentialStatus")).isEqualTo(original.path("credentialStatus"));
        assertThat(payload.path("id")).isEqualTo(original.path("id"));
        assertThat(original.path("credentialSubject").path("id").asText()).startsWith("urn:uuid:");

        WalletClient.Answer accepted = wallet.postJson(metadata.path("notification_endpoint").asText(), accessToken,
                mapper.createObjectNode().put("notification_id", issued.json().path("notification_id").asText())
                        .put("event", "credential_accepted").toString());
        assertThat(accepted.status()).isEqualTo(204);
        assertThat(deliveries).filteredOn(e -> e.credentialId().equals(dana.credentialId()))
                .extracting(DeliveryEvent::kind).contains(DeliveryKind.OFFERED, DeliveryKind.REDEEMED, DeliveryKind.ACCEPTED);
        assertThat(deliveries).filteredOn(e -> e.kind() == DeliveryKind.REDEEMED && e.credentialId().equals(dana.credentialId()))
                .extracting(DeliveryEvent::holder).containsExactly(holderDid);

        // The code is spent: a replay is refused.
        WalletClient.Answer replay = wallet.token(tokenEndpoint, code, offer.txCode());
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_grant");
    }

    @Test
    void aThirdPartyWalletLibraryReceivesACopyThatEmployersVerify() throws Exception {
        boolean node = NodeWallet.available();
        org.junit.jupiter.api.Assumptions.assumeTrue(node || System.getenv("CI") != null,
                "Node.js and npm are needed for the third-party wallet (CI requires them)");
        assertThat(node).as("Node.js and npm on the PATH").isTrue();
        NodeWallet.install();
        WalletClient.PageOffer offer = page("link-lee", lee.credentialId());
        JsonNode received = mapper.readTree(NodeWallet.receive(offer.offerLink(), offer.txCode()));
        String copy = received.path("credential").asText();

        VerificationReport report = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                .trustedKeys(URI.create(base + "/.well-known/jwks.json")).build().verify(copy);
        assertThat(report.verified()).as(report.describe()).isTrue();
        JsonNode payload = payload(copy);
        String holderDid = payload.path("credentialSubject").path("id").asText();
        assertThat(payload.path("sub").asText()).isEqualTo(holderDid);
        assertThat(io.credpipe.issuer.signing.HolderDid.publicKey(holderDid).computeThumbprint())
                .as("bound to the wallet's own key")
                .isEqualTo(com.nimbusds.jose.jwk.JWK.parse(received.path("holderJwk").toString()).computeThumbprint());
        assertThat(payload.path("credentialStatus")).isEqualTo(payload(lee.jwt()).path("credentialStatus"));
        assertThat(deliveries).filteredOn(e -> e.credentialId().equals(lee.credentialId()) && holderDid.equals(e.holder()))
                .extracting(DeliveryEvent::kind).contains(DeliveryKind.REDEEMED, DeliveryKind.ACCEPTED);
    }

    @Test
    void thePageShowsAQrCodeThatAPhoneScansAndRedeems() throws Exception {
        java.nio.file.Path chromium = java.nio.file.Path.of("/usr/bin/chromium");
        java.nio.file.Path chromedriver = java.nio.file.Path.of("/usr/bin/chromedriver");
        boolean present = java.nio.file.Files.isExecutable(chromium) && java.nio.file.Files.isExecutable(chromedriver);
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("CI is set but Chromium is missing: install chromium and chromium-driver");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "no Chromium at " + chromium);
        page("link-dana", dana.credentialId()); // waits until the credential can be offered
        java.nio.file.Path screenshots = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
        org.openqa.selenium.WebDriver phone = PhoneBrowser.open(chromium, chromedriver, screenshots.resolve("profile"));
        try {
            phone.get(base + "/o/link-dana/wallet/" + dana.credentialId());
            String href = phone.findElement(org.openqa.selenium.By.id("offer-link")).getAttribute("href");
            String txCode = phone.findElement(org.openqa.selenium.By.id("tx-code")).getText();
            byte[] png = ((org.openqa.selenium.TakesScreenshot) phone).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            java.nio.file.Files.write(screenshots.resolve("wallet-page-phone.png"), png);

            String scanned = PhoneBrowser.scanQrOnScreen(png, phone.findElement(org.openqa.selenium.By.id("qr")).getRect());
            assertThat(scanned).startsWith("openid-credential-offer://?credential_offer_uri=").isEqualTo(href);
            String code = code(new WalletClient.PageOffer(scanned, WalletClient.offerUri(scanned), txCode));
            WalletClient.Answer token = wallet.token(base + "/oid4vci/token", code, txCode);
            assertThat(token.status()).as(token.response().body()).isEqualTo(200);
            ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
            String nonce = wallet.nonce(base + "/oid4vci/nonce").json().path("c_nonce").asText();
            WalletClient.Answer issued = wallet.credential(base + "/oid4vci/credential",
                    token.json().path("access_token").asText(), configurationId(dana),
                    WalletClient.proof(holder, holder, base, nonce, Instant.now()));
            assertThat(issued.status()).as(issued.response().body()).isEqualTo(200);
        } finally {
            phone.quit();
        }
    }

    @Test
    void aMissingOrWrongTxCodeIsRefusedAndThreeWrongOnesKillTheOffer() throws Exception {
        WalletClient.PageOffer offer = page("link-dana", dana.credentialId());
        String code = code(offer);
        String token = base + "/oid4vci/token";
        assertThat(wallet.token(token, code, null).error()).isEqualTo("invalid_request");
        String wrong = offer.txCode().equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 3; i++) {
            WalletClient.Answer refused = wallet.token(token, code, wrong);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_grant");
        }
        assertThat(wallet.token(token, code, offer.txCode()).error()).as("locked after three wrong codes")
                .isEqualTo("invalid_grant");
    }

    @Test
    void anExpiredOfferIsRefused() throws Exception {
        WalletClient.PageOffer offer = page("link-dana", dana.credentialId());
        String code = code(offer);
        Thread.sleep(OFFER_LIFETIME.plusSeconds(1).toMillis());
        WalletClient.Answer refused = wallet.token(base + "/oid4vci/token", code, offer.txCode());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_grant");
        assertThat(wallet.get(offer.credentialOfferUri()).statusCode()).isEqualTo(404);
    }

    @Test
    void proofsThatAreStaleForeignOrForgedAreRefused() throws Exception {
        WalletClient.PageOffer offer = page("link-dana", dana.credentialId());
        String accessToken = wallet.token(base + "/oid4vci/token", code(offer), offer.txCode()).json()
                .path("access_token").asText();
        String credentialEndpoint = base + "/oid4vci/credential";
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();

        String staleNonce = wallet.nonce(base + "/oid4vci/nonce").json().path("c_nonce").asText();
        Thread.sleep(NONCE_LIFETIME.plusSeconds(1).toMillis());
        WalletClient.Answer stale = wallet.credential(credentialEndpoint, accessToken, configurationId(dana),
                WalletClient.proof(holder, holder, base, staleNonce, Instant.now()));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.error()).isEqualTo("invalid_nonce");

        String nonce = wallet.nonce(base + "/oid4vci/nonce").json().path("c_nonce").asText();
        WalletClient.Answer foreignAudience = wallet.credential(credentialEndpoint, accessToken, configurationId(dana),
                WalletClient.proof(holder, holder, "https://another-issuer.example", nonce, Instant.now()));
        assertThat(foreignAudience.error()).isEqualTo("invalid_proof");
        WalletClient.Answer otherKey = wallet.credential(credentialEndpoint, accessToken, configurationId(dana),
                WalletClient.proof(holder, other, base, nonce, Instant.now()));
        assertThat(otherKey.error()).isEqualTo("invalid_proof");
        WalletClient.Answer noNonce = wallet.credential(credentialEndpoint, accessToken, configurationId(dana),
                WalletClient.proof(holder, holder, base, null, Instant.now()));
        assertThat(noNonce.error()).isEqualTo("invalid_proof");
        WalletClient.Answer noToken = wallet.credential(credentialEndpoint, null, configurationId(dana),
                WalletClient.proof(holder, holder, base, nonce, Instant.now()));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.response().headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        WalletClient.Answer otherConfiguration = wallet.credential(credentialEndpoint, accessToken,
                dana.framework() + "/advanced", WalletClient.proof(holder, holder, base, nonce, Instant.now()));
        assertThat(otherConfiguration.error()).isEqualTo("unknown_credential_configuration");

        WalletClient.Answer honest = wallet.credential(credentialEndpoint, accessToken, configurationId(dana),
                WalletClient.proof(holder, holder, base, nonce, Instant.now()));
        assertThat(honest.status()).as(honest.response().body()).isEqualTo(200);
    }

    @Test
    void aLinkOpensOnlyItsOwnOperatorsCredentials() throws Exception {
        page("link-lee", lee.credentialId());
        assertThat(wallet.get(base + "/o/link-lee/wallet/" + dana.credentialId()).statusCode()).isEqualTo(404);
        assertThat(wallet.get(base + "/o/no-such-link/wallet/" + dana.credentialId()).statusCode()).isEqualTo(404);
    }

    private JsonNode payload(String jwt) throws Exception {
        return mapper.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
