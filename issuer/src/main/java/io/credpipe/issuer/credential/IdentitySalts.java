package io.credpipe.issuer.credential;

import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives, from the issuer's secret, how a credential names its subject (see {@link SubjectIdentity}).
 *
 * <p>The salt of a credential's hashed recipient identifiers is HMAC-SHA256(secret, credential id)
 * in hex: the same every time the same achievement is assembled, yet nobody without the secret can
 * predict it, so a published credential's hash cannot be matched against guessed e-mail addresses
 * before it is issued.
 *
 * <p>The subject id is {@code urn:uuid:} + a version-8 UUID (RFC 9562 §5.8) of
 * HMAC-SHA256(secret, "subject\n" + operator id). Open Badges 3.0 requires the JWT {@code sub}
 * claim and defines it as {@code credentialSubject.id} (§8.2.4.2, "JWT Payload"), so every
 * credential needs a subject id even before a wallet is bound. It is stable per operator, so an
 * operator's credentials can be bundled (CLR) and recognised as one holder's, and keyed by the
 * secret, so the HR system's employee number cannot be recovered from it by enumeration.
 */
public final class IdentitySalts {

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec secret;
    /**
     * A MAC keyed with the secret and never used itself, cloned for each HMAC: a clone costs less than
     * looking up the provider and deriving the key's pads again, three times for every credential.
     */
    private final Mac keyed;

    /** @param secret the issuer secret, at least 32 bytes */
    public IdentitySalts(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the issuer secret must have at least 32 bytes, has " + secret.length);
        }
        this.secret = new SecretKeySpec(secret.clone(), HMAC);
        this.keyed = newMac();
    }

    /**
     * The id of the credential for achievement {@code sequence} of {@code level} of {@code framework}
     * by {@code operatorId} (DESIGN.md "Identifiers"): a version-8 UUID (RFC 9562 §5.8) of
     * HMAC-SHA256(secret, "credential\n" + operator id + "\n" + framework + "\n" + level + "\n" +
     * sequence). Deterministic, so a replayed achievement finds its credential and is never issued
     * twice; keyed by the secret, so that nobody who knows an employee number can compute the
     * credential's URL. (Ids issued before were name-based UUIDs of a published namespace,
     * {@link CredentialId#of}; they keep resolving, see {@code IssuerTopology}.)
     */
    public CredentialId credentialId(String operatorId, FrameworkId framework, Level level, int sequence) {
        byte[] hash = hmac("credential\n" + operatorId + "\n" + framework + "\n" + level.id() + "\n" + sequence);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom, RFC 9562 §5.8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash, 0, 16);
        return new CredentialId(new java.util.UUID(bytes.getLong(), bytes.getLong()));
    }

    /** The salt for the identifiers of credential {@code id}. */
    public String forCredential(CredentialId id) {
        return HexFormat.of().formatHex(hmac(id.toString()));
    }

    /** The subject identity of credential {@code id}, issued to {@code operatorId}. */
    public SubjectIdentity forAchievement(CredentialId id, String operatorId) {
        return new SubjectIdentity(subjectId(operatorId), forCredential(id));
    }

    /** The pseudonymous {@code credentialSubject.id} of an operator at this issuer. */
    public String subjectId(String operatorId) {
        byte[] hash = hmac("subject\n" + operatorId);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8: custom, RFC 9562 §5.8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash, 0, 16);
        return "urn:uuid:" + new java.util.UUID(bytes.getLong(), bytes.getLong());
    }

    /**
     * A key for another use of the issuer's secret (e.g. {@code wallet-offers}), derived as
     * HMAC-SHA256(secret, "key\n" + purpose): every instance sharing the secret derives the same key,
     * and no use can be turned into another.
     */
    public byte[] derivedKey(String purpose) {
        return hmac("key\n" + purpose);
    }

    private byte[] hmac(String message) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            // Only a provider other than the JDK's own would refuse; it still computes the same HMAC.
            mac = newMac();
        }
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JRE has " + HMAC, e);
        }
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "IdentitySalts[secret=<redacted>]";
    }
}
