package io.credpipe.model.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the wallet offer log ({@code wallet-offers}, keyed by the hash of the offer's
 * pre-authorized code): an offer made, or a claim to redeem one. Every issuer instance reads the
 * whole log, so the log decides, the same way for every instance and across restarts, which claim
 * on a code came first: that one wins, every later one loses.
 *
 * <p>It carries hashes, never a pre-authorized code, a transaction code or an access token.
 *
 * @param kind an offer made or a redemption claimed
 * @param codeHash base64url SHA-256 of the pre-authorized code (also the record key)
 * @param operatorId the operator the offered credential belongs to (offers only)
 * @param credentialId the offered credential (offers only)
 * @param expiresAt when the offer expires (offers only)
 * @param txCodeRequired whether redeeming needs a transaction code (offers only)
 * @param claimId a random id the claiming instance recognises its own claim by (claims only)
 * @param txCodeMatched whether the claim gave the right transaction code, or needed none (claims only)
 * @param at when the entry was written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OfferEvent(
        Kind kind,
        String codeHash,
        String operatorId,
        String credentialId,
        Instant expiresAt,
        Boolean txCodeRequired,
        String claimId,
        Boolean txCodeMatched,
        Instant at) {

    /** What an entry records. */
    public enum Kind { OFFERED, CLAIMED }

    public OfferEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(at, "at");
        if (kind == Kind.OFFERED) {
            Objects.requireNonNull(operatorId, "operatorId");
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(txCodeRequired, "txCodeRequired");
        } else {
            Objects.requireNonNull(claimId, "claimId");
            Objects.requireNonNull(txCodeMatched, "txCodeMatched");
        }
    }

    /** An offer of {@code credentialId} to {@code operatorId}, redeemable until {@code expiresAt}. */
    public static OfferEvent offered(String codeHash, String operatorId, String credentialId, Instant expiresAt,
            boolean txCodeRequired, Instant at) {
        return new OfferEvent(Kind.OFFERED, codeHash, operatorId, credentialId, expiresAt, txCodeRequired, null, null, at);
    }

    /** A claim to redeem the offer whose code hashes to {@code codeHash}. */
    public static OfferEvent claimed(String codeHash, String claimId, boolean txCodeMatched, Instant at) {
        return new OfferEvent(Kind.CLAIMED, codeHash, null, null, null, null, claimId, txCodeMatched, at);
    }
}
