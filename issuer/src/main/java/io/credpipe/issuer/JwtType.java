package io.credpipe.issuer;

import com.nimbusds.jose.JOSEObjectType;
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
    JWT("JWT"),

    /** {@code typ: vc+jwt}, the VC-JOSE-COSE media type. */
    VC_JWT("vc+jwt");

    private final String headerValue;
    private final JOSEObjectType objectType;

    JwtType(String headerValue) {
        this.headerValue = headerValue;
        this.objectType = new JOSEObjectType(headerValue);
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
