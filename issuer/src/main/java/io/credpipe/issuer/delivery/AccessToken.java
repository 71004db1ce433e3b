package io.credpipe.issuer.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The secret in an operator's private link {@code /o/{token}}: 256 random bits, written as 43
 * base64url characters without padding (RFC 4648 §5), so it sits in a URL path unescaped. Only its
 * SHA-256 is ever stored; whoever reads the store or the topic cannot open a page.
 *
 * <p>256 bits rather than the 128 the issue asks for at least: the token is the only thing between a
 * stranger and an operator's record, it is hashed without a salt (so that any instance can look it up),
 * and the extra 22 characters cost nothing in a link that is clicked, not typed.
 */
public final class AccessToken {

    /** Random bytes in a token. */
    static final int BYTES = 32;
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

    private AccessToken() {}

    /** A new token drawn from {@code random}, which must be a cryptographically strong generator in production. */
    public static String generate(RandomGenerator random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Whether {@code candidate} has a token's form; anything else is refused before it is hashed or
     * looked up.
     */
    public static boolean wellFormed(String candidate) {
        return candidate != null && FORM.matcher(candidate).matches();
    }

    /** The lower-case hexadecimal SHA-256 of the token's characters: the link's id and store key. */
    public static String hash(String token) {
        Objects.requireNonNull(token, "token");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether {@code candidate} has the form of a link id (a token's hash). */
    public static boolean wellFormedHash(String candidate) {
        return candidate != null && candidate.matches("[0-9a-f]{64}");
    }
}
