package io.credpipe.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.issuer.delivery.LcwExchanges;
import io.credpipe.issuer.stream.KafkaOfferLedger;
import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Learner Credential Wallet exchanges across issuer instances and restarts: two instances, each with
 * its own reader of the {@code wallet-offers} log on one real broker, see each other's exchanges;
 * when both collect the same exchanges at the same moment exactly one collection of each succeeds;
 * an instance started afterwards, reading the log from the start, finds them used; and an exchange
 * opened on one instance has expired on the other once its time is up.
 */
@ExtendWith(RealKafka.class)
class LcwExchangesIT {

    private static final byte[] SECRET = new byte[32];
    private static final int EXCHANGES = 6;

    /** A clock that moves only when told, shared by both instances. */
    private static final class Hands extends Clock {
        private volatile Instant now = Instant.now();

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

    @Test
    void anExchangeIsCollectedOnceWhicheverInstanceAnswersAndStaysUsedAfterARestart(KafkaBroker kafka) throws Exception {
        KafkaClientSettings bootstrap = KafkaClientSettings.plaintext(kafka.bootstrapServers());
        Hands clock = new Hands();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<LcwExchanges.Exchange> opened = new ArrayList<>();
        try (KafkaOfferLedger ledgerA = new KafkaOfferLedger(bootstrap, KafkaBroker.uniqueName("lcw-a"));
                KafkaOfferLedger ledgerB = new KafkaOfferLedger(bootstrap, KafkaBroker.uniqueName("lcw-b"))) {
            LcwExchanges a = new LcwExchanges(ledgerA, SECRET, clock);
            LcwExchanges b = new LcwExchanges(ledgerB, SECRET, clock);
            for (int i = 0; i < EXCHANGES; i++) {
                opened.add(a.open("acme:E" + i, "credential-" + i));
            }
            for (LcwExchanges.Exchange exchange : opened) {
                // The page ran on A; the wallet's first request reaches B, which knows the exchange.
                assertThat(b.state(exchange.id())).isEqualTo(LcwExchanges.State.OPEN);
                assertThat(b.find(exchange.id())).get().satisfies(found -> {
                    assertThat(found.challenge()).as("both derive the same challenge").isEqualTo(exchange.challenge());
                    assertThat(found.credentialId()).isEqualTo(exchange.credentialId());
                });
            }
            int collected = 0;
            for (LcwExchanges.Exchange exchange : opened) {
                CountDownLatch start = new CountDownLatch(1);
                Callable<Optional<LcwExchanges.Exchange>> onA = () -> {
                    start.await();
                    return a.use(exchange.id());
                };
                Callable<Optional<LcwExchanges.Exchange>> onB = () -> {
                    start.await();
                    return b.use(exchange.id());
                };
                Future<Optional<LcwExchanges.Exchange>> fromA = pool.submit(onA);
                Future<Optional<LcwExchanges.Exchange>> fromB = pool.submit(onB);
                start.countDown();
                int wins = (fromA.get().isPresent() ? 1 : 0) + (fromB.get().isPresent() ? 1 : 0);
                assertThat(wins).as("exactly one of two simultaneous collections succeeds").isEqualTo(1);
                collected += wins;
                assertThat(a.state(exchange.id())).isEqualTo(LcwExchanges.State.USED);
                assertThat(b.state(exchange.id())).isEqualTo(LcwExchanges.State.USED);
            }
            assertThat(collected).isEqualTo(EXCHANGES);

            // Opened on A, not collected, then the time is up: B says expired and will not hand it out.
            LcwExchanges.Exchange stale = a.open("acme:E9", "credential-9");
            clock.now = clock.now.plus(LcwExchanges.TIME_TO_LIVE).plus(Duration.ofSeconds(1));
            assertThat(b.state(stale.id())).isEqualTo(LcwExchanges.State.EXPIRED);
            assertThat(b.use(stale.id())).isEmpty();
            assertThat(b.state("never-opened")).isEqualTo(LcwExchanges.State.UNKNOWN);
        } finally {
            pool.shutdownNow();
        }

        // A restarted instance reads the log from the start: every exchange is used.
        try (KafkaOfferLedger ledgerC = new KafkaOfferLedger(bootstrap, KafkaBroker.uniqueName("lcw-c"))) {
            LcwExchanges c = new LcwExchanges(ledgerC, SECRET, clock);
            for (LcwExchanges.Exchange exchange : opened) {
                assertThat(c.state(exchange.id())).isEqualTo(LcwExchanges.State.USED);
                assertThat(c.use(exchange.id())).isEmpty();
            }
        }
    }
}
