package io.credpipe.issuer.delivery;

import io.credpipe.model.delivery.OfferEvent;
import java.util.List;

/**
 * Which claim on a pre-authorized code wins, judged from the offer log alone so that every issuer
 * instance, now or after a restart, judges the same way: replaying the claims in log order, the
 * first made before the offer expired with the right transaction code (or none needed) wins while
 * fewer than the allowed number of wrong transaction codes came before it; every later claim loses.
 * OpenID4VCI 1.0 §4.1.1 requires a pre-authorized code to be short-lived and single use; the
 * attempt limit keeps a six-digit transaction code from being guessed (§13, "Security
 * Considerations", pre-authorized code flow).
 */
public final class RedemptionRule {

    /** How a claim came out. */
    public enum Outcome {
        /** This claim redeemed the offer. */
        REDEEMED,
        /** An earlier claim had already redeemed it. */
        ALREADY_REDEEMED,
        /** The transaction code was wrong. */
        WRONG_TX_CODE,
        /** Too many wrong transaction codes came before: the code is dead. */
        LOCKED,
        /** The claim was made after the offer expired. */
        EXPIRED
    }

    private final int maxTxCodeAttempts;

    /** @param maxTxCodeAttempts how many wrong transaction codes kill an offer */
    public RedemptionRule(int maxTxCodeAttempts) {
        if (maxTxCodeAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt: " + maxTxCodeAttempts);
        }
        this.maxTxCodeAttempts = maxTxCodeAttempts;
    }

    /**
     * The outcome of claim {@code claimId}.
     *
     * @param offer the offer claimed
     * @param claims every claim on its code up to and including {@code claimId}'s, in log order
     * @throws IllegalArgumentException when {@code claimId} is not among {@code claims}
     */
    public Outcome decide(OfferEvent offer, List<OfferEvent> claims, String claimId) {
        boolean redeemed = false;
        int wrong = 0;
        for (OfferEvent claim : claims) {
            Outcome outcome;
            if (redeemed) {
                outcome = Outcome.ALREADY_REDEEMED;
            } else if (!claim.at().isBefore(offer.expiresAt())) {
                outcome = Outcome.EXPIRED;
            } else if (wrong >= maxTxCodeAttempts) {
                outcome = Outcome.LOCKED;
            } else if (Boolean.TRUE.equals(claim.txCodeMatched())) {
                redeemed = true;
                outcome = Outcome.REDEEMED;
            } else {
                wrong++;
                outcome = Outcome.WRONG_TX_CODE;
            }
            if (claim.claimId().equals(claimId)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("claim " + claimId + " is not in the history");
    }

    /** How many wrong transaction codes kill an offer. */
    public int maxTxCodeAttempts() {
        return maxTxCodeAttempts;
    }
}
