package io.credpipe.issuer.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Secures a credential with the Open Badges 3.0 JSON Web Token proof
 * (https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof): a compact JWS whose payload is the
 * credential itself (VC Data Model 2.0 style, no {@code vc} claim) plus the registered claims the
 * section requires:
 *
 * <ul>
 *   <li>{@code iss} = {@code issuer.id}, {@code jti} = {@code id}, {@code nbf} = {@code validFrom},
 *       {@code exp} = {@code validUntil} when present;</li>
 *   <li>{@code sub} = {@code credentialSubject.id}. The section lists {@code sub} as required and
 *       defines it only as {@code credentialSubject.id}, so credpipe's credentials always give their
 *       subject an id (see {@link io.credpipe.issuer.credential.SubjectIdentity}). A credential handed in without one is still
 *       signed, without {@code sub}: no value could then satisfy the rule that {@code sub} "MUST
 *       match the credentialSubject.id", and RFC 7519 §4.1.2 makes the claim optional.</li>
 * </ul>
 *
 * <p>JOSE header: {@code alg}, {@code kid}, {@code typ}; the section allows no other header
 * parameters. {@code alg} follows the key: ES256 for an EC P-256 key, RS256 for an RSA key of at
 * least 2048 bits (see {@link SigningAlgorithm}). {@code typ} is {@code JWT} unless
 * {@link JwtType#VC_JWT} is asked for. The payload is the credential's JSON with its member order
 * unchanged and the claims appended.
 */
public final class CredentialSigner {

    /** Claims this signer adds; a credential that already has one is refused rather than overwritten. */
    static final List<String> CLAIMS = List.of("iss", "sub", "jti", "nbf", "exp", "vc");

    private final String keyId;
    private final SigningAlgorithm algorithm;
    private final JwtType type;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper PAYLOAD_READER = Json.newMapper();

    private final JWSHeader header;
    /** {@code BASE64URL(UTF8(header))}, the same for every signature. */
    private final byte[] encodedHeader;
    private final JWSSigner signer;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * A signer with {@code typ} {@code JWT}.
     *
     * @param key the private key to sign with: EC P-256 (ES256) or RSA of at least 2048 bits (RS256)
     * @param keyId the {@code kid} to put in the header: a URI that dereferences to the public key
     * @throws IllegalArgumentException for any other key, a public one or a shorter RSA key among them
     */
    public CredentialSigner(JWK key, String keyId) {
        this(key, keyId, JwtType.JWT);
    }

    /**
     * @param key the private key to sign with: EC P-256 (ES256) or RSA of at least 2048 bits (RS256)
     * @param keyId the {@code kid} to put in the header: a URI that dereferences to the public key
     * @param type the {@code typ} to put in the header
     * @throws IllegalArgumentException for any other key, a public one or a shorter RSA key among them
     */
    public CredentialSigner(JWK key, String keyId, JwtType type) {
        Objects.requireNonNull(key, "key");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.type = Objects.requireNonNull(type, "type");
        this.algorithm = SigningAlgorithm.of(key).orElseThrow(() -> new IllegalArgumentException(
                "credentials are signed with an EC P-256 key (ES256) or an RSA key of at least "
                        + SigningAlgorithm.MIN_RSA_KEY_BITS + " bits (RS256, RFC 7518 §3.3), not "
                        + SigningAlgorithm.describe(key)));
        this.signer = algorithm.signer(key);
        this.header = new JWSHeader.Builder(algorithm.jwsAlgorithm())
                .keyID(keyId)
                .type(type.objectType())
                .build();
        this.encodedHeader = header.toBase64URL().toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The {@code kid} of the signatures. */
    public String keyId() {
        return keyId;
    }

    /** The {@code alg} of the signatures. */
    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /** The {@code typ} of the signatures. */
    public JwtType type() {
        return type;
    }

    /**
     * Signs {@code credential}.
     *
     * @return the compact JWS and the key id
     * @throws IllegalArgumentException when the credential lacks {@code id}, {@code issuer.id},
     *     {@code validFrom} or {@code credentialSubject}, or already carries a JWT claim
     */
    public SignedCredential sign(ObjectNode credential) {
        for (String claim : CLAIMS) {
            if (credential.has(claim)) {
                throw new IllegalArgumentException("credential already has a \"" + claim + "\" member");
            }
        }
        // A shallow copy is enough to add the claims without changing the caller's tree.
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.setAll(credential);
        payload.put("iss", issuerId(credential));
        subjectId(credential).ifPresent(sub -> payload.put("sub", sub));
        payload.put("jti", required(credential, "/id"));
        payload.put("nbf", epochSeconds(credential, "/validFrom"));
        if (credential.hasNonNull("validUntil")) {
            payload.put("exp", epochSeconds(credential, "/validUntil"));
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return new SignedCredential(compactJws(json), keyId);
    }

    /**
     * The JWS Compact Serialization of {@code payload} (RFC 7515 §7.1):
     * {@code BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)}, the signature being
     * Nimbus's {@link JWSSigner} over the ASCII of the first two parts (§5.1 steps 4–5).
     *
     * <p>This is what {@code JWSObject#sign} and {@code #serialize} produce, byte for byte (tested),
     * except for how the payload is base64url-encoded: Nimbus's codec is a portable loop, and a
     * credential's payload is ~20 KB, so encoding it cost as much as a fifth of an ES256 signature.
     * The JDK's encoder is compiled to vector instructions; without padding it is exactly the
     * base64url of RFC 7515 §2 (RFC 4648 §5, trailing '=' omitted).
     */
    public String compactJws(byte[] payload) {
        byte[] encodedPayload = BASE64URL.encode(payload);
        byte[] signingInput = new byte[encodedHeader.length + 1 + encodedPayload.length];
        System.arraycopy(encodedHeader, 0, signingInput, 0, encodedHeader.length);
        signingInput[encodedHeader.length] = '.';
        System.arraycopy(encodedPayload, 0, signingInput, encodedHeader.length + 1, encodedPayload.length);
        String signature;
        try {
            signature = signer.sign(header, signingInput).toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(algorithm + " signing failed", e);
        }
        // Every byte is base64url or '.', so ISO 8859-1 decodes it without a lookup.
        return new String(signingInput, StandardCharsets.ISO_8859_1) + '.' + signature;
    }

    /**
     * The document a compact JWS made by {@link #sign} secures: its payload without the claims
     * {@code sign} added ({@link #CLAIMS}). The signature is not checked; this is for showing a JWS
     * the issuer itself made and stored, never for trusting one it was handed.
     *
     * @throws IllegalArgumentException when {@code jws} is not a compact JWS whose payload is a JSON object
     */
    public static ObjectNode signedDocument(String jws) {
        JsonNode payload;
        try {
            payload = PAYLOAD_READER.readTree(JWSObject.parse(jws).getPayload().toBytes());
        } catch (ParseException | IOException e) {
            throw new IllegalArgumentException("not a compact JWS with a JSON payload", e);
        }
        if (!(payload instanceof ObjectNode document)) {
            throw new IllegalArgumentException("the JWS payload is not a JSON object");
        }
        document.remove(CLAIMS);
        return document;
    }

    /** The issuer is a Profile object or, as VC DM 2.0 also allows, its id as a string. */
    private static String issuerId(ObjectNode credential) {
        JsonNode issuer = credential.get("issuer");
        if (issuer != null && issuer.isTextual()) {
            return issuer.asText();
        }
        return required(credential, "/issuer/id");
    }

    private static Optional<String> subjectId(ObjectNode credential) {
        JsonNode subject = credential.get("credentialSubject");
        if (subject == null || !subject.isObject()) {
            throw new IllegalArgumentException("credential lacks a credentialSubject object");
        }
        JsonNode id = subject.get("id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static String required(ObjectNode credential, String pointer) {
        JsonNode node = credential.at(pointer);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException("credential lacks " + pointer);
        }
        return node.asText();
    }

    private static long epochSeconds(ObjectNode credential, String pointer) {
        String text = required(credential, pointer);
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(pointer + " is not an RFC 3339 date-time: " + text, e);
        }
    }

    @Override
    public String toString() {
        return "CredentialSigner[kid=" + keyId + ", alg=" + algorithm + ", typ=" + type + "]";
    }
}
