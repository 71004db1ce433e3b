package io.credpipe.issuer.signing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JOSE {@code typ} header of credential JWTs (RFC 7515 §4.1.9: the media type of the whole JWS,
 * with its {@code application/} prefix left out).
 *
 * <ul>
 *   <li>{@link #JWT}, the default: Open Badges 3.0 allows only this value ("If present, MUST be set
 *       to "JWT"", §8.2 JSON Web Token Proof Format, "Create the JOSE Header",
 *       https://www.imsglobal.org/spec/ob/v3p0/#joseheader).</li>
 *   <li>{@link #VC_JWT}, opt-in: W3C Securing Verifiable Credentials using JOSE and COSE
 *       (VC-JOSE-COSE, Recommendation 2025-05-15) §3.1.1 says {@code typ} SHOULD be
 *       {@code vc+jwt}, the media type it registers ({@code application/vc+jwt}), for
 *       verifiers that follow that specification. A verifier that applies OB 3.0 to the letter may
 *       refuse it, which is why it is not the default. VC-JOSE-COSE's optional {@code cty} is not
 *       added, since OB 3.0 allows no other header parameters.</li>
 * </ul>
 */
public enum JwtType {

    /** {@code typ: JWT}, as Open Badges 3.0 requires when {@code typ} is present. */
    JWT("JWT", "application/jwt"),

    /** {@code typ: vc+jwt}, the VC-JOSE-COSE media type. */
    VC_JWT("vc+jwt", "application/vc+jwt");

    private final String headerValue;
    private final String mediaType;
    private final JOSEObjectType objectType;

    JwtType(String headerValue, String mediaType) {
        this.headerValue = headerValue;
        this.mediaType = mediaType;
        this.objectType = new JOSEObjectType(headerValue);
    }

    /**
     * The media type a response carrying such a JWS has: {@code application/jwt} (RFC 7519 §10.3.1)
     * or {@code application/vc+jwt} (VC-JOSE-COSE §6.1, the type {@code typ: vc+jwt} names).
     */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The type of a compact JWS, from its header: {@link #VC_JWT} when {@code typ} says so, else
     * {@link #JWT} — also for no {@code typ} or another one, as every JWS in compact serialization
     * is an {@code application/jwt}.
     *
     * @throws IllegalArgumentException when {@code compactJws} has no parsable JOSE header
     */
    public static JwtType of(String compactJws) {
        int dot = compactJws.indexOf('.');
        JOSEObjectType typ;
        try {
            typ = JWSHeader.parse(new Base64URL(dot < 0 ? compactJws : compactJws.substring(0, dot))).getType();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a compact JWS: " + e.getMessage(), e);
        }
        return typ != null && typ.getType().equalsIgnoreCase(VC_JWT.headerValue) ? VC_JWT : JWT;
    }

    /** The {@code typ} value as written in the header. */
    public String headerValue() {
        return headerValue;
    }

    /** The {@code typ} value for Nimbus. */
    JOSEObjectType objectType() {
        return objectType;
    }

    /**
     * The type whose header value is {@code text}, compared case-insensitively as RFC 7515 §4.1.9
     * compares media types.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static JwtType parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (JwtType type : values()) {
            if (type.headerValue.toLowerCase(Locale.ROOT).equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("typ must be one of " + Arrays.stream(values())
                .map(JwtType::headerValue).collect(Collectors.joining(", ")) + ", not \"" + text + "\"");
    }

    @Override
    public String toString() {
        return headerValue;
    }
}
