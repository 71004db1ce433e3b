package io.credpipe.issuer;

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
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.credpipe.model.framework.Level;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSignerTest {

    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @TempDir
    Path keysDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
    private PublishedKeys keys;
    private CredentialSigner signer;
    private ECDSAVerifier verifier;

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

        assertThat(payload.get("iss").asText()).isEqualTo("https://credentials.example.com/issuer");
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
}
