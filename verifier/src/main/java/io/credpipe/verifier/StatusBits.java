package io.credpipe.verifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The expanded bitstring of a {@code BitstringStatusList} (W3C Bitstring Status List v1.0).
 *
 * <p>Bit 0 is the most significant (left-most) bit of the first byte (§2.2 {@code encodedList});
 * the entry with index {@code i} of a list of {@code statusSize}-bit entries occupies bits
 * {@code i * statusSize} onwards, read most significant bit first (§3.2 step 10).
 */
final class StatusBits {

    /** §3.2 step 2: the minimum number of entries, for herd privacy (§6.1). */
    static final int MINIMUM_ENTRIES = 131_072;

    /**
     * A cap on the expanded size, so a small hostile GZIP body cannot exhaust memory: 16 MiB holds
     * 128 Mi one-bit entries, a thousand times the minimum list.
     */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    private final byte[] bits;

    private StatusBits(byte[] bits) {
        this.bits = bits;
    }

    /**
     * Expands an {@code encodedList}: the multibase prefix {@code u}, then base64url without
     * padding of the GZIP-compressed bitstring (§2.2, §3.4 "Bitstring Expansion Algorithm").
     *
     * @throws IllegalArgumentException with the reason, when it is not such an encoding
     */
    static StatusBits expand(String encodedList) {
        if (encodedList == null || encodedList.isEmpty() || encodedList.charAt(0) != 'u') {
            throw new IllegalArgumentException("encodedList must start with the multibase prefix \"u\" "
                    + "(base64url without padding, §2.2)");
        }
        String base64 = encodedList.substring(1);
        if (!BASE64URL.matcher(base64).matches() || base64.length() % 4 == 1) {
            throw new IllegalArgumentException("encodedList is not base64url without padding (§2.2)");
        }
        byte[] compressed = Base64.getUrlDecoder().decode(base64);
        byte[] bits;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            bits = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("encodedList is not GZIP data (RFC 1952): " + e.getMessage());
        }
        if (bits.length > MAX_BYTES) {
            throw new IllegalArgumentException("encodedList expands to more than " + MAX_BYTES + " bytes");
        }
        return new StatusBits(bits);
    }

    /** The length of the bitstring in bits. */
    long length() {
        return (long) bits.length * 8;
    }

    /** How many entries of {@code statusSize} bits the bitstring holds. */
    long entries(int statusSize) {
        return length() / statusSize;
    }

    /**
     * The value of entry {@code index}.
     *
     * @throws IndexOutOfBoundsException when the entry lies outside the bitstring (§3.2 step 10 RANGE_ERROR)
     */
    int status(long index, int statusSize) {
        if (index < 0 || index >= entries(statusSize)) {
            throw new IndexOutOfBoundsException("index " + index + " is outside the list's "
                    + entries(statusSize) + " entries");
        }
        long first = index * statusSize;
        int value = 0;
        for (int i = 0; i < statusSize; i++) {
            long position = first + i;
            int bit = (bits[(int) (position / 8)] >>> (7 - (int) (position % 8))) & 1;
            value = (value << 1) | bit;
        }
        return value;
    }
}
