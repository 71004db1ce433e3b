package io.credpipe.model.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An Open Badges 3.0 {@code IdentityHash} (OB 3.0 Appendix B.7 "Derived Types"): an algorithm
 * identifier, a {@code $} separator and the hexadecimal hash of an identifier with an optionally
 * appended salt, e.g. {@code sha256$b5809d8a…} for {@code "a@example.com" + "Kosher"}.
 *
 * <p>The only algorithms the specification allows are SHA-256 ({@code sha256}) and MD5
 * ({@code md5}); identifier and salt are UTF-8 encoded before hashing and the hexadecimal digits
 * may be upper or lower case. MD5 is accepted only to check hashes other issuers wrote: credpipe
 * issues SHA-256.
 *
 * @param algorithm the algorithm identifier, {@code sha256} or {@code md5}, lower case
 * @param hex       the hash in lower-case hexadecimal
 */
public record IdentityHash(String algorithm, String hex) {

    /** The SHA-256 algorithm identifier. */
    public static final String SHA256 = "sha256";

    /** The MD5 algorithm identifier (verification of other issuers' hashes only). */
    public static final String MD5 = "md5";

    /**
     * Creates an identity hash.
     *
     * @param algorithm {@code sha256} or {@code md5}, in any case
     * @param hex       the hash in hexadecimal, in any case
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if the algorithm is not {@code sha256} or {@code md5}, or
     *                                  the hash is not hexadecimal of that algorithm's length
     */
    public IdentityHash {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hex = hex.toLowerCase(Locale.ROOT);
        int length = switch (algorithm) {
            case SHA256 -> 64;
            case MD5 -> 32;
            default -> throw new IllegalArgumentException("IdentityHash algorithm must be sha256 or md5: " + algorithm);
        };
        if (hex.length() != length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a " + algorithm + " hash in hexadecimal");
        }
    }

    /**
     * Parses the {@code algorithm$hex} form.
     *
     * @param text the identity hash as written in a credential, may be {@code null}
     * @return the identity hash, or empty if {@code text} is not a well-formed SHA-256 or MD5
     *     identity hash
     */
    public static Optional<IdentityHash> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int dollar = text.indexOf('$');
        if (dollar < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IdentityHash(text.substring(0, dollar), text.substring(dollar + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The SHA-256 identity hash of an identifier with a salt appended.
     *
     * @param identifier the plaintext identifier, e.g. an e-mail address
     * @param salt       the salt; {@code null} or empty for none
     * @return the identity hash
     */
    public static IdentityHash sha256(String identifier, String salt) {
        return new IdentityHash(SHA256, HexFormat.of().formatHex(digest(SHA256, identifier, salt)));
    }

    /**
     * Whether this is the hash of {@code identifier} salted with {@code salt}.
     *
     * @param identifier the known plaintext identifier
     * @param salt       the salt the issuer wrote beside the hash; {@code null} or empty for none
     * @return {@code true} if hashing the identifier and salt with this hash's algorithm gives this hash
     */
    public boolean matches(String identifier, String salt) {
        Objects.requireNonNull(identifier, "identifier");
        byte[] expected = HexFormat.of().parseHex(hex);
        return MessageDigest.isEqual(expected, digest(algorithm, identifier, salt));
    }

    /** The {@code algorithm$hex} form. */
    @Override
    public String toString() {
        return algorithm + "$" + hex;
    }

    private static byte[] digest(String algorithm, String identifier, String salt) {
        String input = identifier + (salt == null ? "" : salt);
        try {
            MessageDigest digest = MessageDigest.getInstance(SHA256.equals(algorithm) ? "SHA-256" : "MD5");
            return digest.digest(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256 and MD5", e);
        }
    }
}
