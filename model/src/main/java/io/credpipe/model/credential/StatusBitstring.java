package io.credpipe.model.credential;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The bits of one W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/):
 * {@code entries} status entries of {@code statusSize} bits each. Immutable: every change returns a
 * new bitstring.
 *
 * <p>Bit order follows §3.1 ("Bitstring Generation Algorithm") and §3.2: the entry with index
 * {@code i} occupies bits {@code i * statusSize} to {@code i * statusSize + statusSize - 1}, bit 0
 * being the most significant (leftmost) bit of the first byte, and an entry's value reads its bits
 * left to right, most significant first.
 *
 * <p>The issuer builds lists with {@link #empty} and {@link #decode}, which insist on the exact
 * size it writes; a verifier reads other issuers' lists with {@link #expand}, which takes any whole
 * number of entries and leaves the minimum-size rule (§3.2 step 9) to the caller to report.
 */
public final class StatusBitstring {

    /**
     * Herd privacy needs at least 131,072 entries (§6.1 "Group Privacy" and the 16 KB minimum of
     * §3.1 for one-bit entries).
     */
    public static final int MINIMUM_ENTRIES = 131_072;

    /** Multibase prefix of base64url without padding (§2.2 {@code encodedList}). */
    static final char MULTIBASE_BASE64URL = 'u';

    /**
     * A cap on the expanded size, so a small hostile GZIP body cannot exhaust memory: 16 MiB holds
     * 128 Mi one-bit entries, a thousand times the minimum list.
     */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    private final int entries;
    private final int statusSize;
    private final byte[] bits;

    private StatusBitstring(int entries, int statusSize, byte[] bits) {
        this.entries = entries;
        this.statusSize = statusSize;
        this.bits = bits;
    }

    /** A list of {@code entries} entries of {@code statusSize} bits, all zero. */
    public static StatusBitstring empty(int entries, int statusSize) {
        if (entries < MINIMUM_ENTRIES) {
            throw new IllegalArgumentException("a status list needs at least " + MINIMUM_ENTRIES + " entries, not " + entries);
        }
        if (statusSize < 1 || statusSize > 8) {
            throw new IllegalArgumentException("status size must be 1 to 8 bits, not " + statusSize);
        }
        long bitCount = (long) entries * statusSize;
        if (bitCount % 8 != 0 || bitCount / 8 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entries * statusSize must be a whole number of bytes");
        }
        return new StatusBitstring(entries, statusSize, new byte[(int) (bitCount / 8)]);
    }

    /**
     * Decodes an {@code encodedList} the issuer wrote: {@code u} + base64url without padding of the
     * GZIP of the bitstring (§2.2, §3.2 "Expand the compressed bitstring"), of exactly
     * {@code entries} entries.
     *
     * @throws IllegalArgumentException when the text is not such an encoding or has another length
     */
    public static StatusBitstring decode(String encodedList, int entries, int statusSize) {
        StatusBitstring expected = empty(entries, statusSize);
        byte[] bits = gunzip(encodedList, expected.bits.length + 1);
        if (bits.length != expected.bits.length) {
            throw new IllegalArgumentException("the encoded list holds " + bits.length + " bytes, expected "
                    + expected.bits.length);
        }
        return new StatusBitstring(entries, statusSize, bits);
    }

    /**
     * Expands any issuer's {@code encodedList} (§3.4 "Bitstring Expansion Algorithm") into entries of
     * {@code statusSize} bits: as many as the bitstring holds, however few (the caller reports a list
     * below {@link #MINIMUM_ENTRIES}, §3.2 step 9).
     *
     * @throws IllegalArgumentException with the reason, when it is not such an encoding or expands
     *     to more than {@link #MAX_BYTES}
     */
    public static StatusBitstring expand(String encodedList, int statusSize) {
        if (statusSize < 1 || statusSize > 8) {
            throw new IllegalArgumentException("status size must be 1 to 8 bits, not " + statusSize);
        }
        byte[] bits = gunzip(encodedList, MAX_BYTES + 1);
        if (bits.length > MAX_BYTES) {
            throw new IllegalArgumentException("encodedList expands to more than " + MAX_BYTES + " bytes");
        }
        return new StatusBitstring((int) ((long) bits.length * 8 / statusSize), statusSize, bits);
    }

    private static byte[] gunzip(String encodedList, int limit) {
        if (encodedList == null || encodedList.isEmpty() || encodedList.charAt(0) != MULTIBASE_BASE64URL) {
            throw new IllegalArgumentException("encodedList must start with the multibase prefix \"u\" "
                    + "(base64url without padding, §2.2)");
        }
        String base64 = encodedList.substring(1);
        if (!BASE64URL.matcher(base64).matches() || base64.length() % 4 == 1) {
            throw new IllegalArgumentException("encodedList is not base64url without padding (§2.2)");
        }
        byte[] compressed = Base64.getUrlDecoder().decode(base64);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readNBytes(limit);
        } catch (IOException e) {
            throw new IllegalArgumentException("encodedList is not GZIP data (RFC 1952): " + e.getMessage(), e);
        }
    }

    /** The number of entries. */
    public int entries() {
        return entries;
    }

    /** Bits per entry. */
    public int statusSize() {
        return statusSize;
    }

    /** The value of entry {@code index}. */
    public int status(int index) {
        checkIndex(index);
        int value = 0;
        long first = (long) index * statusSize;
        for (int i = 0; i < statusSize; i++) {
            value = (value << 1) | bit(first + i);
        }
        return value;
    }

    /** This list with entry {@code index} set to {@code value}. */
    public StatusBitstring withStatus(int index, int value) {
        checkIndex(index);
        if (value < 0 || value >= 1 << statusSize) {
            throw new IllegalArgumentException("status " + value + " does not fit in " + statusSize + " bits");
        }
        byte[] changed = bits.clone();
        long first = (long) index * statusSize;
        for (int i = 0; i < statusSize; i++) {
            long position = first + i;
            int mask = 0x80 >>> (int) (position % 8);
            int bit = (value >>> (statusSize - 1 - i)) & 1;
            int at = (int) (position / 8);
            changed[at] = (byte) (bit == 1 ? changed[at] | mask : changed[at] & ~mask);
        }
        return new StatusBitstring(entries, statusSize, changed);
    }

    /** The {@code encodedList}: {@code u} + base64url, no padding, of the GZIP-compressed bits. */
    public String encode() {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(256);
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory GZIP cannot fail", e);
        }
        return MULTIBASE_BASE64URL + Base64.getUrlEncoder().withoutPadding().encodeToString(compressed.toByteArray());
    }

    private int bit(long position) {
        return (bits[(int) (position / 8)] >>> (7 - (int) (position % 8))) & 1;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= entries) {
            throw new IndexOutOfBoundsException("status list index " + index + " outside 0.." + (entries - 1));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatusBitstring that && entries == that.entries && statusSize == that.statusSize
                && Arrays.equals(bits, that.bits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * entries + statusSize) + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "StatusBitstring[entries=" + entries + ", statusSize=" + statusSize + "]";
    }
}
