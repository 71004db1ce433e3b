package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IdentitySalts;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.delivery.OfferEvent;
import io.credpipe.model.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wallet flow as plain logic, on an in-memory offer log and a clock the test moves. */
public class WalletIssuanceTest {

    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
    private final ObjectMapper mapper = Json.newMapper();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
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
            return now.get();
        }
    };
    private final List<DeliveryEvent> deliveries = new ArrayList<>();
    private final AtomicReference<CredentialStanding> standing = new AtomicReference<>(CredentialStanding.VALID);
    private IssuedCredential issued;
    private WalletIssuance wallet;
    private final String issuerId = Fixtures.URLS.base();

    /** The offer log, in memory: one list in write order, as the topic's single partition. */
    public static final class MemoryLedger implements OfferLedger {
        final List<OfferEvent> log = new ArrayList<>();

        @Override
        public void offer(OfferEvent offered) {
            log.add(offered);
        }

        @Override
        public Optional<OfferEvent> offered(String codeHash) {
            return log.stream().filter(e -> e.kind() == OfferEvent.Kind.OFFERED && e.codeHash().equals(codeHash)).findFirst();
        }

        @Override
        public List<OfferEvent> claims(String codeHash) {
            return log.stream().filter(e -> e.kind() == OfferEvent.Kind.CLAIMED && e.codeHash().equals(codeHash)).toList();
        }

        @Override
        public List<OfferEvent> claim(OfferEvent claim) {
            log.add(claim);
            return log.stream().filter(e -> e.kind() == OfferEvent.Kind.CLAIMED && e.codeHash().equals(claim.codeHash())).toList();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        ECKey issuerKey = new ECKeyGenerator(Curve.P_256).generate();
        CredentialSigner signer = new CredentialSigner(issuerKey, "https://credentials.example.com/keys/1");
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(Fixtures.ISSUER, Fixtures.URLS),
                new IdentitySalts(new byte[32]), signer, Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        issued = issuer.issue(Fixtures.proficient(Fixtures.DANA), Fixtures.chemical(),
                new StatusLists(Fixtures.URLS).entry("0-0", 42));
        wallet = wallet(WalletSettings.DEFAULTS.withTxCode(true), new MemoryLedger(), signer);
    }

    private WalletIssuance wallet(WalletSettings settings, OfferLedger ledger, CredentialSigner signer) {
        return new WalletIssuance(new WalletEndpoints(issuerId), settings, new OfferCodes(new byte[32]),
                new WalletTokens(new byte[32], clock), ledger,
                operator -> operator.equals(issued.operatorId())
                        ? List.of(new CredentialRecord(issued, CredentialSigner.signedDocument(issued.jwt()), Optional.of(standing.get())))
                        : List.of(),
                new WalletCopies(signer), deliveries::add, clock);
    }

    private CredentialRecord record() {
        return wallet.offerable(issued.operatorId(), issued.credentialId()).orElseThrow();
    }

    private static String offerId(WalletIssuance.OfferView offer) {
        return offer.credentialOfferUri().substring(offer.credentialOfferUri().lastIndexOf('=') + 1);
    }

    private String code(WalletIssuance.OfferView offer) {
        return wallet.offerDocument(offerId(offer)).orElseThrow().at("/grants")
                .path(IssuerMetadata.PRE_AUTHORIZED_GRANT).path("pre-authorized_code").asText();
    }

    private static Map<String, String> form(String code, String txCode) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", IssuerMetadata.PRE_AUTHORIZED_GRANT,
                "pre-authorized_code", code));
        if (txCode != null) {
            form.put("tx_code", txCode);
        }
        return form;
    }

    private static String error(Runnable call) {
        try {
            call.run();
        } catch (OAuthError e) {
            return e.error();
        }
        throw new AssertionError("no OAuth error");
    }

    private String proof(ECKey holder, String nonce) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("openid4vci-proof+jwt")).jwk(holder.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().audience(issuerId).issueTime(Date.from(now.get())).claim("nonce", nonce).build());
        jwt.sign(new ECDSASigner(holder));
        return jwt.serialize();
    }

    private ObjectNode request(String configurationId, String... proofs) {
        ObjectNode request = mapper.createObjectNode().put("credential_configuration_id", configurationId);
        var jwts = request.putObject("proofs").putArray("jwt");
        for (String proof : proofs) {
            jwts.add(proof);
        }
        return request;
    }

    private String configurationId() {
        return IssuerMetadata.configurationId(issued.framework(), issued.level());
    }

    private String accessToken(WalletIssuance.OfferView offer) {
        return wallet.token(form(code(offer), offer.txCode().orElseThrow())).path("access_token").asText();
    }

    @Test
    void theOfferDocumentIsTheSameAtEveryFetchUntilItExpires() {
        WalletIssuance.OfferView offer = wallet.offer(record());
        JsonNode first = wallet.offerDocument(offerId(offer)).orElseThrow();
        assertThat(wallet.offerDocument(offerId(offer))).contains((ObjectNode) first);
        assertThat(first.at("/credential_configuration_ids/0").asText()).isEqualTo(configurationId());
        assertThat(first.toString()).doesNotContain(offer.txCode().orElseThrow());
        assertThat(deliveries).extracting(DeliveryEvent::kind).containsExactly(DeliveryKind.OFFERED);
        now.set(offer.expiresAt());
        assertThat(wallet.offerDocument(offerId(offer))).isEmpty();
        assertThat(error(() -> wallet.token(form(code(wallet.offer(record())), "x")).isEmpty())).isEqualTo("invalid_grant");
    }

    @Test
    void anExpiredCodeIsRefusedWithoutAClaim() {
        WalletIssuance.OfferView offer = wallet.offer(record());
        String code = code(offer);
        now.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(error(() -> wallet.token(form(code, offer.txCode().orElseThrow())))).isEqualTo("invalid_grant");
    }

    @Test
    void aTxCodeGivenWhenNoneIsExpectedIsAnInvalidRequest() throws Exception {
        WalletIssuance plain = wallet(WalletSettings.DEFAULTS, new MemoryLedger(),
                new CredentialSigner(new ECKeyGenerator(Curve.P_256).generate(), "kid"));
        WalletIssuance.OfferView offer = plain.offer(record());
        assertThat(offer.txCode()).isEmpty();
        String code = plain.offerDocument(offerId(offer)).orElseThrow().at("/grants")
                .path(IssuerMetadata.PRE_AUTHORIZED_GRANT).path("pre-authorized_code").asText();
        assertThat(error(() -> plain.token(form(code, "123456")))).isEqualTo("invalid_request");
        assertThat(plain.token(form(code, null)).path("token_type").asText()).isEqualTo("Bearer");
        assertThat(error(() -> plain.token(Map.of("grant_type", "authorization_code")))).isEqualTo("unsupported_grant_type");
    }

    @Test
    void aStaleNonceIsInvalidNonceAndAFreshOneIssuesABoundCopy() throws Exception {
        String token = accessToken(wallet.offer(record()));
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        String nonce = wallet.nonce().path("c_nonce").asText();
        now.set(now.get().plus(Duration.ofMinutes(5)));
        assertThat(error(() -> wallet.credential(token, request(configurationId(), proofOrThrow(holder, nonce)))))
                .isEqualTo("invalid_nonce");
        String fresh = wallet.nonce().path("c_nonce").asText();
        JsonNode answer = wallet.credential(token, request(configurationId(), proof(holder, fresh)));
        JsonNode copy = mapper.readTree(Base64.getUrlDecoder().decode(answer.at("/credentials/0/credential").asText().split("\\.")[1]));
        JsonNode original = mapper.readTree(Base64.getUrlDecoder().decode(issued.jwt().split("\\.")[1]));
        assertThat(copy.at("/credentialSubject/id").asText()).startsWith("did:jwk:").isEqualTo(copy.path("sub").asText());
        assertThat(copy.path("credentialStatus")).isEqualTo(original.path("credentialStatus"));
        assertThat(copy.at("/credentialSubject/achievement")).isEqualTo(original.at("/credentialSubject/achievement"));
        assertThat(deliveries).filteredOn(e -> e.kind() == DeliveryKind.REDEEMED).singleElement()
                .satisfies(e -> assertThat(e.holder()).isEqualTo(copy.path("sub").asText()));
    }

    @Test
    void malformedRequestsAreNamedAsTheSpecificationNamesThem() throws Exception {
        String token = accessToken(wallet.offer(record()));
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        String nonce = wallet.nonce().path("c_nonce").asText();
        assertThat(error(() -> wallet.credential("forged", request(configurationId())))).isEqualTo("invalid_token");
        assertThat(error(() -> wallet.credential(token, mapper.createObjectNode().put("credential_identifier", "x"))))
                .isEqualTo("unknown_credential_identifier");
        assertThat(error(() -> wallet.credential(token, mapper.createObjectNode()))).isEqualTo("invalid_credential_request");
        assertThat(error(() -> wallet.credential(token, request(configurationId())))).isEqualTo("invalid_proof");
        assertThat(error(() -> wallet.credential(token, request(configurationId(), proofOrThrow(holder, nonce), proofOrThrow(holder, nonce)))))
                .isEqualTo("invalid_proof");
        standing.set(new CredentialStanding(true, false));
        assertThat(error(() -> wallet.credential(token, request(configurationId(), proofOrThrow(holder, nonce)))))
                .as("revoked since the offer").isEqualTo("credential_request_denied");
    }

    @Test
    void notificationsBecomeDeliveryEventsOnlyForTheTokensOwnCopy() throws Exception {
        String token = accessToken(wallet.offer(record()));
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        JsonNode answer = wallet.credential(token, request(configurationId(), proof(holder, wallet.nonce().path("c_nonce").asText())));
        String notificationId = answer.path("notification_id").asText();
        wallet.notification(token, mapper.createObjectNode().put("notification_id", notificationId).put("event", "credential_failure"));
        wallet.notification(token, mapper.createObjectNode().put("notification_id", notificationId).put("event", "credential_deleted"));
        assertThat(deliveries).extracting(DeliveryEvent::kind)
                .containsExactly(DeliveryKind.OFFERED, DeliveryKind.REDEEMED, DeliveryKind.DELETED);
        assertThat(error(() -> wallet.notification(token, mapper.createObjectNode().put("notification_id", token)
                .put("event", "credential_accepted")))).isEqualTo("invalid_notification_id");
        assertThat(error(() -> wallet.notification(token, mapper.createObjectNode().put("notification_id", notificationId)
                .put("event", "credential_liked")))).isEqualTo("invalid_notification_request");
    }

    @Test
    void onlyTheOperatorsCurrentCredentialsCanBeOffered() {
        assertThat(wallet.offerable("someone-else", issued.credentialId())).isEmpty();
        standing.set(new CredentialStanding(false, true));
        assertThat(wallet.offerable(issued.operatorId(), issued.credentialId())).isEmpty();
    }

    private String proofOrThrow(ECKey holder, String nonce) {
        try {
            return proof(holder, nonce);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
