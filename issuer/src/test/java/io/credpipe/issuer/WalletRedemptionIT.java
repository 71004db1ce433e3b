package io.credpipe.issuer;

import io.credpipe.topics.client.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.issuer.delivery.IssuerMetadata;
import io.credpipe.issuer.delivery.OAuthError;
import io.credpipe.issuer.delivery.OfferCodes;
import io.credpipe.issuer.delivery.WalletEndpoints;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.issuer.delivery.WalletTokens;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.stream.KafkaOfferLedger;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.Level;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Single use across instances and restarts: two wallet services, each with its own reader of the
 * {@code wallet-offers} log on one real broker (as two issuer instances have), redeem the same
 * pre-authorized codes at the same moment; exactly one redemption of each code succeeds, and an
 * instance started afterwards, reading the log from the start, refuses every code too.
 */
@ExtendWith(RealKafka.class)
class WalletRedemptionIT {

    private static final byte[] SECRET = new byte[32];
    private static final int OFFERS = 8;

    private static WalletIssuance instance(KafkaOfferLedger ledger, CredentialRecord record) throws Exception {
        WalletEndpoints endpoints = new WalletEndpoints(Fixtures.URLS.base());
        return new WalletIssuance(endpoints, WalletSettings.DEFAULTS, new OfferCodes(SECRET),
                new WalletTokens(SECRET, Clock.systemUTC()), ledger, operator -> List.of(record),
                new WalletCopies(new CredentialSigner(new ECKeyGenerator(Curve.P_256).generate(), "kid")),
                event -> { }, Clock.systemUTC());
    }

    private static String code(WalletIssuance issuance, WalletIssuance.OfferView offer) {
        String offerUri = offer.credentialOfferUri();
        String offerId = URLDecoder.decode(offerUri.substring(offerUri.lastIndexOf('=') + 1), StandardCharsets.UTF_8);
        return issuance.offerDocument(offerId).orElseThrow().path("grants").path(IssuerMetadata.PRE_AUTHORIZED_GRANT)
                .path("pre-authorized_code").asText();
    }

    private static Map<String, String> form(String code) {
        return Map.of("grant_type", IssuerMetadata.PRE_AUTHORIZED_GRANT, "pre-authorized_code", code);
    }

    @Test
    void twoInstancesRedeemingTheSameCodeAtOnceLetExactlyOneSucceed(KafkaBroker kafka) throws Exception {
        // A credential that is current: offer() needs only its record, never its signature.
        IssuedCredential issued = new IssuedCredential("c-" + KafkaBroker.uniqueName("wallet"), Fixtures.DANA.id(),
                Fixtures.CHEMICAL, Level.PROFICIENT, 1, "unused", Instant.now(), null, "kid");
        CredentialRecord record = new CredentialRecord(issued, JsonNodeFactory.instance.objectNode(), Optional.empty());
        String bootstrap = kafka.bootstrapServers();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (KafkaOfferLedger ledgerA = new KafkaOfferLedger(KafkaClientSettings.plaintext(bootstrap), KafkaBroker.uniqueName("instance-a"));
                KafkaOfferLedger ledgerB = new KafkaOfferLedger(KafkaClientSettings.plaintext(bootstrap), KafkaBroker.uniqueName("instance-b"))) {
            WalletIssuance a = instance(ledgerA, record);
            WalletIssuance b = instance(ledgerB, record);
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < OFFERS; i++) {
                // Offers made on A; B finds them through the log.
                codes.add(code(b, a.offer(record)));
            }
            for (String code : codes) {
                CountDownLatch start = new CountDownLatch(1);
                Callable<Boolean> onA = () -> redeem(a, code, start);
                Callable<Boolean> onB = () -> redeem(b, code, start);
                Future<Boolean> fromA = pool.submit(onA);
                Future<Boolean> fromB = pool.submit(onB);
                start.countDown();
                assertThat(List.of(fromA.get(), fromB.get())).as("redemptions of one code on two instances")
                        .containsExactlyInAnyOrder(true, false);
            }

            try (KafkaOfferLedger restarted = new KafkaOfferLedger(KafkaClientSettings.plaintext(bootstrap), KafkaBroker.uniqueName("instance-c"))) {
                WalletIssuance c = instance(restarted, record);
                for (String code : codes) {
                    assertThatThrownBy(() -> c.token(form(code))).isInstanceOf(OAuthError.class)
                            .extracting(e -> ((OAuthError) e).error()).isEqualTo("invalid_grant");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean redeem(WalletIssuance instance, String code, CountDownLatch start) throws InterruptedException {
        start.await();
        try {
            return instance.token(form(code)).hasNonNull("access_token");
        } catch (OAuthError e) {
            assertThat(e.error()).isEqualTo("invalid_grant");
            return false;
        }
    }
}
