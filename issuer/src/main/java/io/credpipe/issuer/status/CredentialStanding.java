package io.credpipe.issuer.status;

import io.credpipe.model.credential.StatusAction;

import java.util.List;

/**
 * A credential's standing as its status entry reads. A one-bit {@code revocation} entry reads as
 * revoked or not (see {@link StatusLists#standing}). Credentials issued before suspension became a
 * revocation carry one two-bit entry of a list whose {@code statusPurpose} is {@code message}
 * (Bitstring Status List v1.0 §2.1, {@code statusSize} 2): the low bit says revoked, the high bit
 * says suspended. Those lists keep being read, and commands keep changing their bits this way.
 *
 * <p>Why one two-bit entry rather than a revocation entry plus a suspension entry: Open Badges 3.0
 * allows at most one {@code credentialStatus} (OB 3.0 §B.1.1 {@code AchievementCredential},
 * {@code CredentialStatus [0..1]}; 1EdTech's JSON Schema requires an object), and a one-bit entry has
 * one purpose. A multi-bit entry with {@code statusMessage} is the Bitstring Status List's way of
 * carrying several states in one entry.
 *
 * <p>Revocation is final (§2.1: revocation "is not reversible"): nothing clears the revoked bit.
 *
 * @param revoked whether the credential is revoked
 * @param suspended whether the credential is suspended
 */
public record CredentialStanding(boolean revoked, boolean suspended) {

    /** Bits per entry of a {@code message} list. */
    public static final int STATUS_SIZE = 2;
    /** The purpose of a two-bit list. */
    public static final String STATUS_PURPOSE = "message";
    /** Neither revoked nor suspended. */
    public static final CredentialStanding VALID = new CredentialStanding(false, false);

    /** The revoked bit of a two-bit entry. */
    public static final int REVOKED_BIT = 0x1;
    /** The suspended bit of a two-bit entry. */
    public static final int SUSPENDED_BIT = 0x2;

    /**
     * The {@code statusMessage} of every entry: one message per possible value, as §2.1 requires
     * when {@code statusSize} is more than 1, values written {@code 0x} + hexadecimal.
     */
    public static final List<StatusMessage> MESSAGES = List.of(
            new StatusMessage("0x0", "valid"),
            new StatusMessage("0x1", "revoked"),
            new StatusMessage("0x2", "suspended"),
            new StatusMessage("0x3", "revoked"));

    /** One {@code statusMessage} item. */
    public record StatusMessage(String status, String message) {}

    /** The standing an entry value encodes. */
    public static CredentialStanding of(int value) {
        if (value < 0 || value > 3) {
            throw new IllegalArgumentException("a two-bit status is 0 to 3, not " + value);
        }
        return new CredentialStanding((value & REVOKED_BIT) != 0, (value & SUSPENDED_BIT) != 0);
    }

    /** The entry value. */
    public int value() {
        return (revoked ? REVOKED_BIT : 0) | (suspended ? SUSPENDED_BIT : 0);
    }

    /** The standing after {@code action}; a revoked credential stays revoked whatever is done. */
    public CredentialStanding after(StatusAction action) {
        return switch (action) {
            case REVOKE -> new CredentialStanding(true, suspended);
            case SUSPEND -> new CredentialStanding(revoked, true);
            case REINSTATE -> new CredentialStanding(revoked, false);
        };
    }
}
