package io.credpipe.verifier.jws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written canonical base64url check answers as decoding and re-encoding does. */
class CompactJwsBase64UrlTest {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The definition: the base64url alphabet, a possible length, and re-encoding gives the same text. */
    private static boolean byDecoding(String segment) {
        if (!BASE64URL.matcher(segment).matches() || segment.length() % 4 == 1) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(segment);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment);
    }

    @Test
    void agreesWithDecodingAndReEncoding() {
        Random random = new Random(11);
        int canonical = 0;
        int nonCanonical = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (random.nextInt(10) == 0) {
                text.insert(random.nextInt(text.length() + 1), "=+/ .é\n".charAt(random.nextInt(7)));
            }
            String segment = text.toString();
            boolean expected = byDecoding(segment);
            assertThat(CompactJws.canonicalBase64Url(segment)).as(segment).isEqualTo(expected);
            if (expected) {
                canonical++;
            } else {
                nonCanonical++;
            }
        }
        assertThat(canonical).isGreaterThan(5_000);
        assertThat(nonCanonical).isGreaterThan(5_000);
    }

    @Test
    void theUnusedLowBitsOfTheLastCharacterMustBeZero() {
        assertThat(CompactJws.canonicalBase64Url("QQ")).isTrue();   // "A"
        assertThat(CompactJws.canonicalBase64Url("QR")).isFalse();  // also decodes to "A"
        assertThat(CompactJws.canonicalBase64Url("QUI")).isTrue();  // "AB"
        assertThat(CompactJws.canonicalBase64Url("QUJ")).isFalse(); // also "AB"
        assertThat(CompactJws.canonicalBase64Url("")).isTrue();
        assertThat(CompactJws.canonicalBase64Url("Q")).isFalse();
    }
}
