package io.credpipe.model.integrity;

import java.math.BigInteger;

/**
 * The base58btc alphabet (draft-msporny-base58) with multibase's {@code z} prefix, in which
 * Multikeys and Data Integrity proof values are written (Controlled Identifiers v1.0 §2.4).
 */
public final class Base58Btc {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private Base58Btc() {}

    /** {@code z} + base58btc of {@code bytes}. */
    public static String multibase(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        while (value.signum() > 0) {
            BigInteger[] division = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(division[1].intValue()));
            value = division[0];
        }
        // Each leading zero byte is one leading '1'.
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return "z" + out.reverse();
    }

    /**
     * The bytes of a multibase base58btc string.
     *
     * @throws IllegalArgumentException when {@code text} does not start with {@code z} or holds a
     *     character outside the base58btc alphabet
     */
    public static byte[] decodeMultibase(String text) {
        if (text == null || !text.startsWith("z")) {
            throw new IllegalArgumentException("not multibase base58btc (which starts with z)");
        }
        String digits = text.substring(1);
        BigInteger value = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < digits.length() && digits.charAt(zeros) == '1') {
            zeros++;
        }
        for (int i = 0; i < digits.length(); i++) {
            int digit = ALPHABET.indexOf(digits.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("not base58btc: character " + (i + 1) + " is outside the alphabet");
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
        int skip = magnitude.length > 1 && magnitude[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
        return out;
    }
}
