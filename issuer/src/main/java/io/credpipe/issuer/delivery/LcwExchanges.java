package io.credpipe.issuer.delivery;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VC-API exchanges (W3C CCG VC-API, "Exchanges") through which the Learner Credential Wallet
 * collects a credential: an operator's page opens one per credential, the wallet authenticates its
 * holder DID with the exchange's challenge, and gets the credential once. Exchanges are single-use
 * and expire, like OpenID4VCI offers: a second collection, or one after {@link #TIME_TO_LIVE}, is
 * refused, so a leaked QR code or deep link is worth nothing once used or stale.
 *
 * <p>Kept in this instance's memory: an exchange lives for minutes, between a page view and a
 * scan, and a restart only means the operator opens the page again. Thread-safe.
 */
public final class LcwExchanges {

    /** How long an exchange can be used after its page was opened. */
    public static final Duration TIME_TO_LIVE = Duration.ofMinutes(15);

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One exchange.
     *
     * @param id           unguessable (128 random bits, base64url): the last segment of its URL
     * @param challenge    what the holder's DID Authentication must sign
     * @param operatorId   whose credential it delivers
     * @param credentialId which credential
     * @param expiresAt    when it stops being usable
     */
    public record Exchange(String id, String challenge, String operatorId, String credentialId, Instant expiresAt) {
        public Exchange {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(operatorId, "operatorId");
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            // The id and challenge are bearer secrets until used: never in logs.
            return "Exchange[credential=" + credentialId + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** What became of an attempt to use an exchange. */
    public enum State { OPEN, UNKNOWN, EXPIRED, USED }

    private final Clock clock;
    private final Map<String, Exchange> open = new ConcurrentHashMap<>();
    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    public LcwExchanges(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Opens a new exchange for {@code operatorId}'s credential {@code credentialId}. */
    public Exchange open(String operatorId, String credentialId) {
        forgetStale();
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        Exchange exchange = new Exchange(Base64.getUrlEncoder().withoutPadding().encodeToString(id),
                UUID.randomUUID().toString(), operatorId, credentialId, clock.instant().plus(TIME_TO_LIVE));
        open.put(exchange.id(), exchange);
        return exchange;
    }

    /** The state of exchange {@code id} now. */
    public State state(String id) {
        Exchange exchange = open.get(id);
        if (exchange != null) {
            return clock.instant().isBefore(exchange.expiresAt()) ? State.OPEN : State.EXPIRED;
        }
        return used.containsKey(id) ? State.USED : State.UNKNOWN;
    }

    /** The open exchange {@code id}, if it is open now. */
    public Optional<Exchange> find(String id) {
        return state(id) == State.OPEN ? Optional.ofNullable(open.get(id)) : Optional.empty();
    }

    /**
     * Uses up exchange {@code id}: of two wallets presenting at once, exactly one gets it.
     *
     * @return the exchange, empty when it is not open (unknown, expired or already used)
     */
    public Optional<Exchange> use(String id) {
        Exchange exchange = open.get(id);
        if (exchange == null || !clock.instant().isBefore(exchange.expiresAt()) || !open.remove(id, exchange)) {
            return Optional.empty();
        }
        used.put(id, exchange.expiresAt());
        return Optional.of(exchange);
    }

    private void forgetStale() {
        Instant now = clock.instant();
        open.values().removeIf(e -> !now.isBefore(e.expiresAt().plus(TIME_TO_LIVE)));
        used.values().removeIf(expiry -> !now.isBefore(expiry.plus(TIME_TO_LIVE)));
    }
}
