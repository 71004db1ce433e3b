package io.credpipe.issuer.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How wallet offers behave.
 *
 * @param offerLifetime how long a pre-authorized code can be redeemed (at most a day)
 * @param txCode whether redeeming needs the transaction code shown on the operator's page
 * @param maxTxCodeAttempts how many wrong transaction codes kill an offer
 * @param accessTokenLifetime how long an access token works
 * @param nonceLifetime how long a {@code c_nonce} is fresh
 */
public record WalletSettings(Duration offerLifetime, boolean txCode, int maxTxCodeAttempts,
        Duration accessTokenLifetime, Duration nonceLifetime) {

    /** Ten-minute offers, no transaction code, three attempts, ten-minute tokens, five-minute nonces. */
    public static final WalletSettings DEFAULTS = new WalletSettings(Duration.ofMinutes(10), false, 3,
            Duration.ofMinutes(10), Duration.ofMinutes(5));

    public WalletSettings {
        Objects.requireNonNull(offerLifetime, "offerLifetime");
        Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
        Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        if (offerLifetime.isNegative() || offerLifetime.isZero() || offerLifetime.compareTo(Duration.ofDays(1)) > 0) {
            // The offer log keeps seven days; an offer must end well inside that.
            throw new IllegalArgumentException("an offer lives between 1 s and a day: " + offerLifetime);
        }
        if (maxTxCodeAttempts < 1) {
            throw new IllegalArgumentException("at least one transaction code attempt: " + maxTxCodeAttempts);
        }
    }

    /** These settings with the transaction code on or off. */
    public WalletSettings withTxCode(boolean required) {
        return new WalletSettings(offerLifetime, required, maxTxCodeAttempts, accessTokenLifetime, nonceLifetime);
    }

    /** These settings with offers living {@code lifetime}. */
    public WalletSettings withOfferLifetime(Duration lifetime) {
        return new WalletSettings(lifetime, txCode, maxTxCodeAttempts, accessTokenLifetime, nonceLifetime);
    }

    /** These settings with nonces fresh for {@code lifetime}. */
    public WalletSettings withNonceLifetime(Duration lifetime) {
        return new WalletSettings(offerLifetime, txCode, maxTxCodeAttempts, accessTokenLifetime, lifetime);
    }
}
