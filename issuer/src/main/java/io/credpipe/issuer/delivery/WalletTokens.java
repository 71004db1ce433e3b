package io.credpipe.issuer.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived values the wallet endpoints hand out and take back: access tokens, {@code c_nonce}
 * values and notification ids. Each is self-contained ({@code base64url(JSON) "." base64url(HMAC)}),
 * so any issuer instance with the issuer's secret checks one another instance made, with no shared
 * store. Each names its purpose, so one kind is never accepted as another.
 *
 * <p>The payloads carry ids (credential, operator, holder DID) but never a code or a secret. They are
 * readable by whoever holds them: the wallet, which knows those ids anyway.
 */
public final class WalletTokens {

    /** What a token is for. */
    enum Purpose {
        ACCESS("access"), NONCE("c_nonce"), NOTIFICATION("notification");

        final String id;

        Purpose(String id) {
            this.id = id;
        }
    }

    /**
     * What an access token grants: a copy of one credential, for the operator it was offered to.
     *
     * @param credentialId the offered credential
     * @param operatorId its operator
     * @param expiresAt when the token stops working
     */
    public record Grant(String credentialId, String operatorId, Instant expiresAt) {}

    /**
     * What a notification id names: the copy of a credential a holder received.
     *
     * @param credentialId the original credential
     * @param operatorId its operator
     * @param holder the holder's DID
     */
    public record Delivered(String credentialId, String operatorId, String holder) {}

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;
    private final ObjectMapper mapper = Json.newMapper();
    private final SecureRandom random = new SecureRandom();

    /** @param key a key of at least 32 bytes, for this purpose only */
    public WalletTokens(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a token key has at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.clock = clock;
    }

    /** An access token for {@code grant}. */
    public String accessToken(Grant grant) {
        ObjectNode payload = payload(Purpose.ACCESS, grant.expiresAt());
        payload.put("credential", grant.credentialId());
        payload.put("operator", grant.operatorId());
        return seal(payload);
    }

    /** The grant of a valid, unexpired access token; empty for anything else. */
    public Optional<Grant> grant(String token) {
        return open(token, Purpose.ACCESS).map(p -> new Grant(p.path("credential").asText(),
                p.path("operator").asText(), Instant.ofEpochSecond(p.path("exp").asLong())));
    }

    /** A fresh {@code c_nonce}, valid until {@code expiresAt}. */
    public String nonce(Instant expiresAt) {
        return seal(payload(Purpose.NONCE, expiresAt));
    }

    /**
     * Whether {@code nonce} is a {@code c_nonce} this issuer made that has not expired. A stale or
     * unknown one gets {@code invalid_nonce} (OpenID4VCI 1.0 §8.3.1.2).
     */
    public boolean nonceValid(String nonce) {
        return open(nonce, Purpose.NONCE).isPresent();
    }

    /** A notification id for {@code delivered}, valid until {@code expiresAt}. */
    public String notificationId(Delivered delivered, Instant expiresAt) {
        ObjectNode payload = payload(Purpose.NOTIFICATION, expiresAt);
        payload.put("credential", delivered.credentialId());
        payload.put("operator", delivered.operatorId());
        payload.put("holder", delivered.holder());
        return seal(payload);
    }

    /** What a valid notification id names; empty for anything else. */
    public Optional<Delivered> delivered(String notificationId) {
        return open(notificationId, Purpose.NOTIFICATION).map(p -> new Delivered(p.path("credential").asText(),
                p.path("operator").asText(), p.path("holder").asText()));
    }

    private ObjectNode payload(Purpose purpose, Instant expiresAt) {
        ObjectNode payload = mapper.createObjectNode();
        payload.put("p", purpose.id);
        payload.put("exp", expiresAt.getEpochSecond());
        byte[] salt = new byte[12];
        random.nextBytes(salt);
        payload.put("r", ENCODER.encodeToString(salt));
        return payload;
    }

    private String seal(ObjectNode payload) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        String body = ENCODER.encodeToString(json);
        return body + "." + ENCODER.encodeToString(hmac(body));
    }

    private Optional<JsonNode> open(String token, Purpose purpose) {
        if (token == null || token.length() > 2048) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        byte[] mac;
        JsonNode payload;
        try {
            mac = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, hmac(body))) {
                return Optional.empty();
            }
            payload = mapper.readTree(DECODER.decode(body));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
        if (payload == null || !purpose.id.equals(payload.path("p").asText())) {
            return Optional.empty();
        }
        if (!payload.path("exp").canConvertToLong()
                || !clock.instant().isBefore(Instant.ofEpochSecond(payload.path("exp").asLong()))) {
            return Optional.empty();
        }
        return Optional.of(payload);
    }

    private byte[] hmac(String body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JRE has " + HMAC, e);
        }
    }

    @Override
    public String toString() {
        return "WalletTokens[key=<redacted>]";
    }
}
