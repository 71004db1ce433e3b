package io.credpipe.verifier.jws;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.json.StrictJson;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * A JWS in compact serialization (RFC 7515 §7.1) whose three segments are canonical base64url and
 * whose header is a JSON object: what a signature can be checked on. Parsing checks nothing else;
 * the algorithm, header parameters and key are judged by the checks that read them.
 *
 * @param token  the whole compact JWS
 * @param header the protected header
 */
public record CompactJws(String token, JsonNode header) {

    /** The {@code typ} values accepted, lower case, without {@code application/}: see {@link #typMismatch}. */
    public static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "vc+jwt");

    private static final String[] SEGMENT_NAMES = {"header", "payload", "signature"};

    /**
     * The outcome of {@link #parse(String)}: the JWS, or why the text is not one.
     *
     * @param jws     the parsed JWS, {@code null} on failure
     * @param failure why it is not a compact JWS, {@code null} on success
     */
    public record Parsed(CompactJws jws, String failure) {
        static Parsed failed(String failure) {
            return new Parsed(null, failure);
        }
    }

    /**
     * Splits and decodes a compact JWS.
     *
     * @param token the text, already stripped of surrounding whitespace
     * @return the JWS or why it is not one
     */
    public static Parsed parse(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length == 5) {
            return Parsed.failed("this is an encrypted JWE (5 segments), not a signed JWS");
        }
        if (segments.length != 3) {
            return Parsed.failed("a compact JWS has 3 dot-separated segments (RFC 7515 §7.1), found " + segments.length);
        }
        for (int i = 0; i < 3; i++) {
            if (!canonicalBase64Url(segments[i])) {
                // The signature segment is decoded, not signed: encodings differing only in the
                // unused low bits of the last character would verify too. Refusing them gives a
                // credential exactly one textual form, so no character can change unnoticed.
                return Parsed.failed("the " + SEGMENT_NAMES[i] + " segment is not canonical base64url without padding (RFC 7515 §2)");
            }
        }
        JsonNode header;
        try {
            // RFC 7515 §4: a parser must reject duplicate header names or keep the last; strict parsing rejects.
            header = StrictJson.read(Base64.getUrlDecoder().decode(segments[0]));
        } catch (IOException e) {
            return Parsed.failed("the header is not JSON: " + StrictJson.oneLine(e.getMessage()));
        }
        if (header == null || !header.isObject()) {
            return Parsed.failed("the header is not a JSON object");
        }
        return new Parsed(new CompactJws(token, header), null);
    }

    /**
     * The decoded payload. Only to be read once the signature verified.
     *
     * @return the payload bytes
     */
    public byte[] payload() {
        int first = token.indexOf('.');
        return Base64.getUrlDecoder().decode(token.substring(first + 1, token.indexOf('.', first + 1)));
    }

    /**
     * The header's {@code alg} if it is a string.
     *
     * @return the algorithm name or {@code null}
     */
    public String alg() {
        return StrictJson.string(header.get("alg"));
    }

    /**
     * Why a present {@code typ} header is not one a credential may carry, or {@code null} if it is.
     * Open Badges 3.0 says {@code typ}, "if present, MUST be set to "JWT"" (§8.2 JSON Web Token
     * Proof Format, https://www.imsglobal.org/spec/ob/v3p0/#joseheader); W3C VC-JOSE-COSE §3.1.1
     * says it SHOULD be {@code vc+jwt}, and issuers following that specification, credpipe's with
     * {@code --jwt-typ vc+jwt} among them, write that. Both are accepted, nothing else: RFC 8725
     * §3.11 has typ tell one kind of JWT from another, so e.g. an access token ({@code at+jwt}) is
     * never taken for a credential. RFC 7515 §4.1.9: media types compare case-insensitively and
     * the {@code application/} prefix may be left out.
     *
     * @param typ the header's {@code typ}
     * @return why it is refused, or {@code null}
     */
    public static String typMismatch(JsonNode typ) {
        String value = typ.isTextual() ? typ.asText().toLowerCase(Locale.ROOT).replaceFirst("^application/", "") : null;
        if (value != null && ACCEPTED_TYPES.contains(value)) {
            return null;
        }
        return "typ must be JWT (OB 3.0) or vc+jwt (VC-JOSE-COSE) when present, was " + typ;
    }

    /**
     * Whether {@code segment} is the one base64url encoding (no padding) of the bytes it decodes to.
     *
     * @param segment a JWS segment
     * @return {@code true} if canonical
     */
    public static boolean canonicalBase64Url(String segment) {
        // By hand in one pass, not a regular expression then a decode and re-encode: a credential's
        // payload segment is ~19 KB, and that was 30 % of a verification in the profile.
        int length = segment.length();
        if (length % 4 == 1) {
            return false;
        }
        int last = 0;
        for (int i = 0; i < length; i++) {
            last = base64UrlValue(segment.charAt(i));
            if (last < 0) {
                return false;
            }
        }
        // RFC 4648 §3.5: the last character of a partial group carries bits beyond the data (4 of a
        // 2-character group, 2 of a 3-character one); the canonical encoding sets them to zero.
        return switch (length % 4) {
            case 2 -> (last & 0x0F) == 0;
            case 3 -> (last & 0x03) == 0;
            default -> true;
        };
    }

    /** The value of a base64url character (RFC 4648 §5), or -1. */
    private static int base64UrlValue(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
