package io.credpipe.model.credential;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential's id: a name-based UUID (version 5, RFC 9562 §5.5) of the achievement it certifies,
 * so that a replayed achievement always yields the same id and is never issued twice.
 *
 * @param uuid the UUID
 */
public record CredentialId(UUID uuid) {

    /** The namespace of credpipe achievement names (a random UUID fixed forever). */
    static final UUID NAMESPACE = UUID.fromString("5c0f4f9e-2b7a-4c1e-9a57-3f6b1d0c8e21");

    public CredentialId {
        Objects.requireNonNull(uuid, "uuid");
    }

    /**
     * The id of achievement {@code sequence} of {@code level} of {@code framework} by {@code operatorId}.
     * The name hashed is {@code operatorId + "\n" + framework + "\n" + level + "\n" + sequence}.
     */
    public static CredentialId of(String operatorId, FrameworkId framework, Level level, int sequence) {
        String name = operatorId + "\n" + framework + "\n" + level.id() + "\n" + sequence;
        return new CredentialId(nameBased(NAMESPACE, name));
    }

    /** Parses the textual UUID form. */
    @JsonCreator
    public static CredentialId parse(String text) {
        return new CredentialId(UUID.fromString(text));
    }

    /** The {@code urn:uuid:} form, used where a URN is wanted. */
    public String urn() {
        return "urn:uuid:" + uuid;
    }

    @JsonValue
    @Override
    public String toString() {
        return uuid.toString();
    }

    /**
     * The name-based UUID of RFC 9562 §5.5 (version 5, SHA-1) of {@code name}'s UTF-8 bytes in
     * {@code namespace}: the same name always gives the same UUID.
     */
    public static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-1", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
