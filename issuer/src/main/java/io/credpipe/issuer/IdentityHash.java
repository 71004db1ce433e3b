package io.credpipe.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Open Badges 3.0 {@code IdentityHash} data type: an algorithm identifier, {@code $}, and the
 * hexadecimal hash of the identifier with the salt appended, both UTF-8 (OB 3.0, derived type
 * IdentityHash, https://www.imsglobal.org/spec/ob/v3p0/#identityhash: "sha256$b5809d…" is the
 * SHA-256 of {@code "a@example.com" + "Kosher"}).
 */
public final class IdentityHash {

    private IdentityHash() {}

    /** {@code "sha256$" + lowercase hex(SHA-256(UTF-8(identity + salt)))}. */
    public static String sha256(String identity, String salt) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        byte[] hash = sha256.digest((identity + salt).getBytes(StandardCharsets.UTF_8));
        return "sha256$" + HexFormat.of().formatHex(hash);
    }
}
