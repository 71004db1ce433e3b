package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OfferEvent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The VC-API exchanges (W3C CCG VC-API, "Exchanges") through which the Learner Credential Wallet
 * collects a credential: an operator's page opens one per credential, the wallet authenticates its
 * holder DID with the exchange's challenge, and gets the credential once. Exchanges are single-use
 * and expire, like OpenID4VCI offers: a second collection, or one after {@link #TIME_TO_LIVE}, is
 * refused, so a leaked QR code or deep link is worth nothing once used or stale.
 *
 * <p>Single use holds across issuer instances and restarts: an exchange is an offer on the shared
 * offer log ({@link OfferLedger}, the one-partition {@code wallet-offers} topic), keyed by a hash of
 * its id, and collecting it is a claim there; the first claim in the log wins
 * ({@link RedemptionRule}), whichever instance wrote it or judges it. The log holds no id and no
 * challenge: the challenge is derived from the id with the issuer's secret, so every instance (all
 * share {@code data/keys}) derives the same one and nothing stored can be replayed.
 */
public final class LcwExchanges {

    /** How long an exchange can be used after its page was opened. */
    public static final Duration TIME_TO_LIVE = Duration.ofMinutes(15);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** No transaction code: a wallet's claim always "matches", so the first one wins. */
    private static final RedemptionRule SINGLE_USE = new RedemptionRule(1);

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

    private final OfferLedger ledger;
    private final byte[] challengeKey;
    private final Clock clock;

    /**
     * @param ledger       the offer log every issuer instance shares
     * @param challengeKey a key derived from the issuer's secret for challenges alone
     * @param clock        the time exchanges open and are claimed at
     */
    public LcwExchanges(OfferLedger ledger, byte[] challengeKey, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.challengeKey = Objects.requireNonNull(challengeKey, "challengeKey").clone();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (challengeKey.length < 32) {
            throw new IllegalArgumentException("the challenge key needs 256 bits");
        }
    }

    /** Opens a new exchange for {@code operatorId}'s credential {@code credentialId}; returns once it is on the log. */
    public Exchange open(String operatorId, String credentialId) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String id = BASE64URL.encodeToString(random);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(TIME_TO_LIVE);
        ledger.offer(OfferEvent.offered(key(id), operatorId, credentialId, expiresAt, false, now));
        return new Exchange(id, challenge(id), operatorId, credentialId, expiresAt);
    }

    /** The state of exchange {@code id} now, as the log says (any instance's claims included). */
    public State state(String id) {
        Optional<OfferEvent> offer = ledger.offered(key(id));
        if (offer.isEmpty()) {
            return State.UNKNOWN;
        }
        List<OfferEvent> claims = ledger.claims(key(id));
        if (!claims.isEmpty() && claims.stream().anyMatch(claim ->
                SINGLE_USE.decide(offer.get(), claims, claim.claimId()) == RedemptionRule.Outcome.REDEEMED)) {
            return State.USED;
        }
        return clock.instant().isBefore(offer.get().expiresAt()) ? State.OPEN : State.EXPIRED;
    }

    /** The open exchange {@code id}, if it is open now. */
    public Optional<Exchange> find(String id) {
        if (state(id) != State.OPEN) {
            return Optional.empty();
        }
        return ledger.offered(key(id)).map(offer -> exchange(id, offer));
    }

    /**
     * Uses up exchange {@code id}: of two wallets presenting at once, on one instance or two, exactly
     * one gets it (the first claim in the log).
     *
     * @return the exchange, empty when it is not open (unknown, expired or already used)
     */
    public Optional<Exchange> use(String id) {
        Optional<OfferEvent> offer = ledger.offered(key(id));
        if (offer.isEmpty()) {
            return Optional.empty();
        }
        String claimId = UUID.randomUUID().toString();
        List<OfferEvent> history = ledger.claim(OfferEvent.claimed(key(id), claimId, true, clock.instant()));
        return SINGLE_USE.decide(offer.get(), history, claimId) == RedemptionRule.Outcome.REDEEMED
                ? Optional.of(exchange(id, offer.get()))
                : Optional.empty();
    }

    private Exchange exchange(String id, OfferEvent offer) {
        return new Exchange(id, challenge(id), offer.operatorId(), offer.credentialId(), offer.expiresAt());
    }

    /** What the log keys an exchange by: a hash, never the id, in its own namespace beside offer codes. */
    private static String key(String id) {
        return OfferCodes.hash("lcw-exchange\n" + id);
    }

    /** The exchange's challenge: HMAC-SHA256 of its id with the challenge key, base64url. */
    private String challenge(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(challengeKey, "HmacSHA256"));
            return BASE64URL.encodeToString(mac.doFinal(("lcw-challenge\n" + id).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE has HmacSHA256", e);
        }
    }
}
