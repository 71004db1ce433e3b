package io.credpipe.issuer.signing;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUED_AT;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.credpipe.model.framework.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CredentialSignerTest {

    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @TempDir
    Path keysDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
    private PublishedKeys keys;
    private CredentialSigner signer;
    private JWSVerifier verifier;

    @BeforeEach
    void keys() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(keysDir.resolve("keys"));
        keys = new PublishedKeys(issuerKeys, URLS);
        signer = keys.signer();
        verifier = new ECDSAVerifier((ECKey) keys.jwks().getKeyByKeyId(keys.activeKeyId()));
    }

    private ObjectNode credential() {
        return assembler.assemble(Fixtures.achieved(DANA, Level.PROFICIENT, Instant.parse("2028-05-20T09:30:00Z")),
                Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT);
    }

    @Test
    void signatureVerifiesWithThePublishedKey() throws Exception {
        SignedCredential signed = signer.sign(credential());

        JWSObject jws = JWSObject.parse(signed.jwt());
        assertThat(jws.verify(verifier)).isTrue();
        assertThat(signed.keyId()).isEqualTo(keys.activeKeyId());
    }

    /**
     * The signer assembles the compact serialization itself (with the JDK's base64url): it must be
     * what Nimbus's own {@code JWSObject#sign} and {@code #serialize} give. RS256 (PKCS #1 v1.5) is
     * deterministic, so the whole JWS is compared; ES256 signatures are randomised, so there the
     * signing input is compared and the signature verified.
     */
    @ParameterizedTest
    @EnumSource(JwtType.class)
    void compactSerializationIsNimbusOwnByteForByte(JwtType type) throws Exception {
        Random random = new Random(7);
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
        CredentialSigner rsaSigner = new CredentialSigner(rsa, "https://credentials.example.com/keys/rsa", type);
        CredentialSigner ecSigner = new CredentialSigner(ec, "https://credentials.example.com/keys/ec", type);
        // Every length modulo 3 (base64 padding), non-ASCII UTF-8, and bytes that are no JSON at all.
        List<byte[]> payloads = new ArrayList<>();
        for (int length : new int[] {0, 1, 2, 3, 4, 5, 20_000, 20_001, 20_002}) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            payloads.add(bytes);
        }
        payloads.add("{\"name\":\"Prüfung ✓\"}".getBytes(StandardCharsets.UTF_8));
        for (byte[] payload : payloads) {
            JWSObject nimbus = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(rsaSigner.keyId()).type(type.objectType()).build(), new Payload(payload));
            nimbus.sign(new RSASSASigner(rsa));
            assertThat(rsaSigner.compactJws(payload)).isEqualTo(nimbus.serialize());

            JWSObject expected = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(ecSigner.keyId()).type(type.objectType()).build(), new Payload(payload));
            JWSObject actual = JWSObject.parse(ecSigner.compactJws(payload));
            assertThat(new String(actual.getSigningInput(), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(expected.getSigningInput(), StandardCharsets.US_ASCII));
            assertThat(actual.getPayload().toBytes()).isEqualTo(payload);
            assertThat(actual.verify(new ECDSAVerifier(ec.toPublicJWK()))).isTrue();
        }
    }

    @Test
    void headerIsEs256WithKidAndTypJwtOnly() throws Exception {
        JWSObject jws = JWSObject.parse(signer.sign(credential()).jwt());

        assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jws.getHeader().getKeyID()).isEqualTo(keys.activeKeyId())
                .startsWith("https://credentials.example.com/keys/");
        assertThat(jws.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jws.getHeader().toJSONObject().keySet()).containsExactlyInAnyOrder("alg", "kid", "typ");
    }

    @Test
    void payloadIsTheCredentialPlusRegisteredClaimsAndNoVcClaim() throws Exception {
        ObjectNode credential = credential();
        JsonNode payload = mapper.readTree(JWSObject.parse(signer.sign(credential).jwt()).getPayload().toString());

        assertThat(payload.get("iss").asText()).isEqualTo("did:web:credentials.example.com");
        assertThat(payload.get("jti").asText()).isEqualTo(credential.get("id").asText());
        assertThat(payload.get("sub").asText()).isEqualTo(Fixtures.SUBJECT.id())
                .isEqualTo(credential.at("/credentialSubject/id").asText());
        assertThat(payload.get("nbf").asLong()).isEqualTo(Instant.parse("2026-05-20T09:31:07Z").getEpochSecond());
        assertThat(payload.get("exp").asLong()).isEqualTo(Instant.parse("2028-05-20T09:30:00Z").getEpochSecond());
        assertThat(payload.has("vc")).isFalse();

        List<String> credentialMembers = names(credential);
        List<String> payloadMembers = names(payload);
        assertThat(payloadMembers.subList(0, credentialMembers.size())).isEqualTo(credentialMembers);
        assertThat(payloadMembers.subList(credentialMembers.size(), payloadMembers.size()))
                .containsExactly("iss", "sub", "jti", "nbf", "exp");
        ObjectNode withoutClaims = ((ObjectNode) payload).deepCopy();
        withoutClaims.remove(List.of("iss", "sub", "jti", "nbf", "exp"));
        assertThat(withoutClaims).isEqualTo(credential);
    }

    @Test
    void noExpWithoutValidUntil() throws Exception {
        ObjectNode credential = assembler.assemble(Fixtures.proficient(ANONYMOUS), Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT);
        JsonNode payload = mapper.readTree(JWSObject.parse(signer.sign(credential).jwt()).getPayload().toString());

        assertThat(payload.has("exp")).isFalse();
        assertThat(payload.get("sub").asText()).isEqualTo(Fixtures.SUBJECT.id());
        assertThat(payload.has("iss")).isTrue();
    }

    @Test
    void noSubForASubjectWithoutId() throws Exception {
        // OB 3.0 lets a subject be identified by identifiers alone; sub then has nothing to match.
        ObjectNode credential = credential();
        ((ObjectNode) credential.get("credentialSubject")).remove("id");
        JsonNode payload = mapper.readTree(JWSObject.parse(signer.sign(credential).jwt()).getPayload().toString());

        assertThat(payload.has("sub")).isFalse();
    }

    @Test
    void subIsTheSubjectIdOnceAWalletIsBound() throws Exception {
        ObjectNode credential = credential();
        ((ObjectNode) credential.get("credentialSubject")).put("id", "did:example:holder");
        JsonNode payload = mapper.readTree(JWSObject.parse(signer.sign(credential).jwt()).getPayload().toString());

        assertThat(payload.get("sub").asText()).isEqualTo("did:example:holder");
        List<String> members = names(payload);
        assertThat(members.subList(members.size() - 5, members.size())).containsExactly("iss", "sub", "jti", "nbf", "exp");
    }

    @Test
    void refusesACredentialThatAlreadyCarriesAClaim() {
        ObjectNode credential = credential();
        credential.put("vc", "nested");

        assertThatThrownBy(() -> signer.sign(credential)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignedDocumentIsTheCredentialWithoutTheClaims() {
        ObjectNode credential = credential();

        ObjectNode document = CredentialSigner.signedDocument(signer.sign(credential).jwt());

        assertThat(document).isEqualTo(credential);
        assertThat(names(document)).isEqualTo(names(credential));
    }

    @Test
    void aSignedDocumentNeedsACompactJwsWithAJsonObjectPayload() {
        String jwt = signer.sign(credential()).jwt();
        String arrayPayload = jwt.substring(0, jwt.indexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString("[1]".getBytes(StandardCharsets.UTF_8))
                + jwt.substring(jwt.lastIndexOf('.'));

        assertThatThrownBy(() -> CredentialSigner.signedDocument("not a jws")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CredentialSigner.signedDocument(arrayPayload))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void changingAnyCharacterBreaksVerification() {
        String jwt = signer.sign(credential()).jwt();
        int headerEnd = jwt.indexOf('.');
        int payloadEnd = jwt.lastIndexOf('.');
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < jwt.length(); i++) {
            // Every character of header, separators and signature; a stride through the long payload.
            if (i <= headerEnd || i >= payloadEnd || i % 31 == 0 || i == payloadEnd - 1) {
                positions.add(i);
            }
        }
        assertThat(positions).hasSizeGreaterThan(500);

        for (int position : positions) {
            String tampered = jwt.substring(0, position) + flip(jwt.charAt(position)) + jwt.substring(position + 1);
            assertThat(verifies(tampered)).as("JWS changed at %d of %d", position, jwt.length()).isFalse();
        }
        assertThat(verifies(jwt)).isTrue();
    }

    /** Another character that changes the encoded bits, even in a segment's final, partly used character. */
    private static char flip(char c) {
        int index = BASE64URL.indexOf(c);
        return index < 0 ? 'A' : BASE64URL.charAt(index ^ 0b100000);
    }

    private boolean verifies(String jwt) {
        try {
            return JWSObject.parse(jwt).verify(verifier);
        } catch (ParseException | com.nimbusds.jose.JOSEException | IllegalArgumentException | IllegalStateException e) {
            return false;
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Keys of both types in one directory, as after a rotation from ES256 to RS256 and back. */
    private PublishedKeys mixedKeys(SigningAlgorithm active) throws Exception {
        SigningAlgorithm other = active == SigningAlgorithm.ES256 ? SigningAlgorithm.RS256 : SigningAlgorithm.ES256;
        IssuerKeys mixed = IssuerKeys.loadOrCreate(keysDir.resolve("mixed"), other).rotate(active);
        return new PublishedKeys(mixed, URLS);
    }

    private static JWSVerifier verifierFor(JWK publicKey) throws Exception {
        return publicKey instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier(publicKey.toECKey());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SigningAlgorithm.class)
    void headerCarriesTheActiveKeysAlgorithmWithEachTyp(SigningAlgorithm algorithm) throws Exception {
        PublishedKeys mixed = mixedKeys(algorithm);
        for (JwtType type : JwtType.values()) {
            CredentialSigner configured = mixed.signer(algorithm, type);
            SignedCredential signed = configured.sign(credential());
            JWSObject jws = JWSObject.parse(signed.jwt());

            assertThat(jws.getHeader().getAlgorithm()).isEqualTo(algorithm.jwsAlgorithm());
            assertThat(jws.getHeader().getType()).isEqualTo(new JOSEObjectType(type.headerValue()));
            assertThat(jws.getHeader().getKeyID()).isEqualTo(mixed.activeKeyId()).isEqualTo(signed.keyId());
            assertThat(jws.getHeader().toJSONObject().keySet()).containsExactlyInAnyOrder("alg", "kid", "typ");
            assertThat(jws.getHeader().toJSONObject()).containsEntry("typ", type.headerValue());
            assertThat(jws.verify(verifierFor(mixed.jwks().getKeyByKeyId(mixed.activeKeyId())))).isTrue();
            assertThat(configured.toString()).contains(algorithm.name(), type.headerValue());
        }
    }

    @Test
    void theDefaultIsEs256WithTypJwt() {
        assertThat(signer.algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(signer.type()).isEqualTo(JwtType.JWT);
        assertThat(JwtType.parse("vc+jwt")).isEqualTo(JwtType.VC_JWT);
        assertThat(JwtType.parse("jwt")).isEqualTo(JwtType.JWT);
        assertThatThrownBy(() -> JwtType.parse("at+jwt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JWT, vc+jwt");
    }

    @Test
    void anRs256SignatureDoesNotVerifyWithTheRetiredEs256KeyNorTheOtherWayRound() throws Exception {
        PublishedKeys mixed = mixedKeys(SigningAlgorithm.RS256);
        JWK retiredEc = mixed.jwks().getKeys().get(1);
        assertThat(retiredEc).isInstanceOf(ECKey.class);

        JWSObject rs256 = JWSObject.parse(mixed.signer(SigningAlgorithm.RS256, JwtType.JWT).sign(credential()).jwt());
        JWSObject es256 = JWSObject.parse(signer.sign(credential()).jwt());

        assertThat(verifiesWith(rs256, retiredEc)).isFalse();
        assertThat(verifiesWith(es256, mixed.jwks().getKeys().get(0))).isFalse();
        assertThat(verifiesWith(rs256, mixed.jwks().getKeys().get(0))).isTrue();
    }

    /** Nimbus refuses a verifier of the wrong key type with an exception: both count as not verified. */
    private static boolean verifiesWith(JWSObject jws, JWK publicKey) throws Exception {
        try {
            return jws.verify(verifierFor(publicKey));
        } catch (com.nimbusds.jose.JOSEException e) {
            return false;
        }
    }

    @Test
    void changingAnyCharacterBreaksAnRs256Signature() throws Exception {
        PublishedKeys mixed = mixedKeys(SigningAlgorithm.RS256);
        verifier = verifierFor(mixed.jwks().getKeyByKeyId(mixed.activeKeyId()));
        String jwt = mixed.signer(SigningAlgorithm.RS256, JwtType.VC_JWT).sign(credential()).jwt();

        for (int position = 0; position < jwt.length(); position += position < jwt.indexOf('.') || position > jwt.lastIndexOf('.') ? 1 : 29) {
            String tampered = jwt.substring(0, position) + flip(jwt.charAt(position)) + jwt.substring(position + 1);
            assertThat(verifies(tampered)).as("JWS changed at %d of %d", position, jwt.length()).isFalse();
        }
        assertThat(verifies(jwt)).isTrue();
    }

    @Test
    void refusesAnRsaKeyShorterThan2048Bits() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyIDFromThumbprint(true).generate();

        assertThatThrownBy(() -> new CredentialSigner(weak, "https://credentials.example.com/keys/weak"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024-bit RSA key")
                .hasMessageContaining("RFC 7518 §3.3");
        RSAKey minimal = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        assertThat(new CredentialSigner(minimal, "https://credentials.example.com/keys/min").algorithm())
                .isEqualTo(SigningAlgorithm.RS256);
    }

    @Test
    void refusesPublicKeysAndOtherCurves() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();

        assertThatThrownBy(() -> new CredentialSigner(rsa.toPublicJWK(), "kid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private");
        assertThatThrownBy(() -> new CredentialSigner(p384, "kid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-384");
    }
}
