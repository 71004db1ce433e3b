package io.credpipe.issuer.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets of a wallet offer, derived from its random offer id with a key of the issuer's:
 *
 * <ul>
 *   <li>the offer id (128 random bits) names the offer in its {@code credential_offer_uri};</li>
 *   <li>the pre-authorized code is HMAC-SHA256(key, offer id): 256 bits, the same each time the
 *       offer is fetched (wallets fetch it twice), yet stored nowhere; the offer log keeps only its
 *       SHA-256 ({@link #hash});</li>
 *   <li>the transaction code is six digits of HMAC-SHA256(key, code), so the token endpoint can
 *       check it from the code alone and the page can show it.</li>
 * </ul>
 *
 * Every instance holding the issuer's secret derives the same values, so any instance serves any
 * offer.
 */
public final class OfferCodes {

    /** Digits of a transaction code (OpenID4VCI 1.0 §4.1.1 {@code tx_code.length}). */
    public static final int TX_CODE_LENGTH = 6;

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param key a key of at least 32 bytes, for this purpose only */
    public OfferCodes(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("an offer key has at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
    }

    /** A new offer id: 128 random bits, base64url. */
    public String newOfferId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** The pre-authorized code of offer {@code offerId}. */
    public String preAuthorizedCode(String offerId) {
        return BASE64URL.encodeToString(hmac("pre-authorized_code\n" + offerId));
    }

    /** The transaction code that goes with pre-authorized code {@code code}. */
    public String txCode(String code) {
        byte[] mac = hmac("tx_code\n" + code);
        long value = ((mac[0] & 0x7fL) << 24 | (mac[1] & 0xffL) << 16 | (mac[2] & 0xffL) << 8 | (mac[3] & 0xffL))
                % 1_000_000L;
        return String.format("%0" + TX_CODE_LENGTH + "d", value);
    }

    /** Whether {@code given} is the transaction code of {@code code}, compared in constant time. */
    public boolean txCodeMatches(String code, String given) {
        return given != null && MessageDigest.isEqual(txCode(code).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** What the offer log keeps of a code: base64url SHA-256. */
    public static String hash(String code) {
        try {
            return BASE64URL.encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JRE has " + HMAC, e);
        }
    }

    @Override
    public String toString() {
        return "OfferCodes[key=<redacted>]";
    }
}
