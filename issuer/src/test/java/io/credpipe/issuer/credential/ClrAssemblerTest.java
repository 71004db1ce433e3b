package io.credpipe.issuer.credential;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.StandardsConformance;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.signing.SignedCredential;
import io.credpipe.issuer.status.StatusLists;

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
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Level;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CLR 2.0 records against 1EdTech's {@code clr_v2p0_clrcredential_schema.json} (draft 2019-09), in
 * JSON-LD safe mode with the bundled contexts, and what they bundle.
 */
class ClrAssemblerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StandardsConformance STANDARDS = new StandardsConformance();

    private final CredentialAssembler credentials = new CredentialAssembler(ISSUER, URLS);
    private final ClrAssembler clrs = new ClrAssembler(credentials.profile());
    private final StatusLists statusLists = new StatusLists(URLS);

    /** A credential of {@code operator} for {@code level}, issued {@code minutes} after {@link Fixtures#ISSUED_AT}. */
    private ClrAssembler.Bundled bundled(Operator operator, Level level, int sequence, int minutes, Instant validUntil) {
        LevelAchieved template = Fixtures.achieved(operator, level, validUntil);
        LevelAchieved achievement = new LevelAchieved(operator, template.framework(), level, sequence,
                template.statements(), template.achievedAt(), validUntil, template.policy(), template.causedBy());
        Instant issuedAt = ISSUED_AT.plusSeconds(60L * minutes);
        var id = CredentialIssuer.legacyCredentialId(achievement);
        ObjectNode credential = credentials.assemble(achievement, Fixtures.chemical(), issuedAt, Fixtures.SUBJECT,
                statusLists.entry("0-0", 100 + minutes));
        IssuedCredential issued = new IssuedCredential(id.toString(), operator.id(), template.framework(), level,
                sequence, "header.payload.signature", issuedAt, validUntil, "kid");
        return new ClrAssembler.Bundled(issued, credential);
    }

    private List<ClrAssembler.Bundled> threeLevels() {
        return List.of(
                bundled(DANA, Level.EMERGING, 1, 0, null),
                bundled(DANA, Level.PROFICIENT, 1, 20, Instant.parse("2029-01-01T00:00:00Z")),
                bundled(DANA, Level.DEVELOPING, 1, 10, null));
    }

    @Test
    void aRecordOfSeveralLevelsIsValid() {
        ObjectNode clr = clrs.assemble(threeLevels());

        assertThat(STANDARDS.clrCredentialErrors(clr)).isEmpty();
    }

    @Test
    void aRecordOfOneCredentialOfAnOperatorWithoutEmailIsValid() {
        ObjectNode clr = clrs.assemble(List.of(bundled(ANONYMOUS, Level.ADVANCED, 2, 0, null)));

        assertThat(STANDARDS.clrCredentialErrors(clr)).isEmpty();
        assertThat(clr.at("/credentialSubject/association").isMissingNode()).isTrue();
        assertThat(clr.at("/credentialSubject/identifier/0/identityType").asText()).isEqualTo("sourcedId");
    }

    @Test
    void theValidatorAcceptsOneEdTechsClrSampleAndRejectsJwsStringsOrEnvelopes() throws IOException {
        JsonNode sample = read("validator-clr20-simple.json");
        assertThat(STANDARDS.clrCredentialErrors(sample)).isEmpty();

        // Why the record nests decoded credentials (see ClrAssembler): the schema takes nothing else.
        ObjectNode withJws = clrs.assemble(threeLevels());
        ((ObjectNode) withJws.get("credentialSubject")).putArray("verifiableCredential").add("eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
        assertThat(STANDARDS.clrCredentialErrors(withJws)).isNotEmpty();
        ObjectNode withEnvelope = clrs.assemble(threeLevels());
        ((ObjectNode) withEnvelope.get("credentialSubject")).putArray("verifiableCredential").addObject()
                .put("@context", CredentialAssembler.VC_CONTEXT)
                .put("id", "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.e30.c2ln")
                .put("type", "EnvelopedVerifiableCredential");
        assertThat(STANDARDS.clrCredentialErrors(withEnvelope)).isNotEmpty();
    }

    @Test
    void anAssociationOutsideTheVocabularyIsInvalid() {
        ObjectNode clr = clrs.assemble(threeLevels());
        ((ObjectNode) clr.at("/credentialSubject/association/0")).put("associationType", "isLevelBelow");

        assertThat(STANDARDS.clrCredentialErrors(clr)).isNotEmpty();
    }

    @Test
    void theRecordBundlesTheCredentialsTheirAchievementsAndTheProgression() {
        List<ClrAssembler.Bundled> bundled = threeLevels();

        ObjectNode clr = clrs.assemble(bundled);

        assertThat(clr.get("type")).containsExactly(MAPPER.getNodeFactory().textNode("VerifiableCredential"),
                MAPPER.getNodeFactory().textNode("ClrCredential"));
        assertThat(clr.get("@context").get(1).asText()).isEqualTo(ClrAssembler.CLR_CONTEXT);
        assertThat(clr.get("issuer")).isEqualTo(credentials.profile());
        assertThat(clr.at("/credentialSchema/0/id").asText()).isEqualTo(ClrAssembler.CLR_CREDENTIAL_SCHEMA);
        // Newest credential's issue time, earliest expiry.
        assertThat(clr.get("validFrom").asText()).isEqualTo("2026-05-20T09:51:07Z");
        assertThat(clr.get("validUntil").asText()).isEqualTo("2029-01-01T00:00:00Z");

        JsonNode subject = clr.get("credentialSubject");
        assertThat(subject.get("id").asText()).isEqualTo(Fixtures.SUBJECT.id());
        assertThat(subject.get("identifier")).isEqualTo(bundled.get(1).credential().at("/credentialSubject/identifier"));
        assertThat(subject.get("verifiableCredential")).hasSize(3);
        // In level order, unchanged.
        assertThat(subject.at("/verifiableCredential/0")).isEqualTo(bundled.get(0).credential());
        assertThat(subject.at("/verifiableCredential/1")).isEqualTo(bundled.get(2).credential());
        assertThat(subject.at("/verifiableCredential/2")).isEqualTo(bundled.get(1).credential());
        String emerging = URLS.level(Fixtures.CHEMICAL, Level.EMERGING);
        String developing = URLS.level(Fixtures.CHEMICAL, Level.DEVELOPING);
        String proficient = URLS.level(Fixtures.CHEMICAL, Level.PROFICIENT);
        assertThat(subject.get("achievement")).extracting(a -> a.get("id").asText())
                .containsExactly(emerging, developing, proficient);
        assertThat(subject.get("association")).hasSize(2);
        assertThat(subject.at("/association/0")).isEqualTo(association(emerging, developing));
        assertThat(subject.at("/association/1")).isEqualTo(association(developing, proficient));
    }

    @Test
    void aMissingLevelIsBridgedAndARepeatedLevelIsOneAchievement() {
        List<ClrAssembler.Bundled> bundled = List.of(
                bundled(DANA, Level.EMERGING, 1, 0, null),
                bundled(DANA, Level.ADVANCED, 1, 5, null),
                bundled(DANA, Level.ADVANCED, 2, 9, null));

        JsonNode subject = clrs.assemble(bundled).get("credentialSubject");

        assertThat(subject.get("verifiableCredential")).hasSize(3);
        assertThat(subject.get("achievement")).hasSize(2);
        assertThat(subject.get("association")).containsExactly(association(
                URLS.level(Fixtures.CHEMICAL, Level.EMERGING), URLS.level(Fixtures.CHEMICAL, Level.ADVANCED)));
    }

    @Test
    void theSameContentIsTheSameDocumentAndOtherContentAnotherId() {
        List<ClrAssembler.Bundled> bundled = threeLevels();
        List<ClrAssembler.Bundled> reversed = new ArrayList<>(bundled);
        java.util.Collections.reverse(reversed);

        ObjectNode clr = clrs.assemble(bundled);

        assertThat(clrs.assemble(reversed)).isEqualTo(clr);
        assertThat(clr.get("id").asText()).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(clrs.assemble(bundled.subList(0, 2)).get("id")).isNotEqualTo(clr.get("id"));
    }

    @Test
    void theRecordIsSignedWithTheCredentialsJwtProof(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        PublishedKeys keys = new PublishedKeys(IssuerKeys.loadOrCreate(temp.resolve("keys")), URLS);
        ObjectNode clr = clrs.assemble(threeLevels());

        SignedCredential signed = keys.signer().sign(clr);

        com.nimbusds.jose.JWSObject jws = com.nimbusds.jose.JWSObject.parse(signed.jwt());
        assertThat(jws.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
                (com.nimbusds.jose.jwk.ECKey) keys.jwks().getKeyByKeyId(jws.getHeader().getKeyID())))).isTrue();
        JsonNode payload = MAPPER.readTree(jws.getPayload().toString());
        assertThat(payload.get("jti").asText()).isEqualTo(clr.get("id").asText());
        assertThat(payload.get("sub").asText()).isEqualTo(Fixtures.SUBJECT.id());
        assertThat(payload.get("iss").asText()).isEqualTo("did:web:credentials.example.com");
    }

    @Test
    void aRecordNeedsCredentialsOfOneOperator() {
        assertThatThrownBy(() -> clrs.assemble(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clrs.assemble(List.of(bundled(DANA, Level.EMERGING, 1, 0, null),
                bundled(ANONYMOUS, Level.EMERGING, 1, 0, null)))).isInstanceOf(IllegalArgumentException.class);
    }

    private static ObjectNode association(String source, String target) {
        return MAPPER.createObjectNode()
                .put("type", "Association")
                .put("associationType", "precedes")
                .put("sourceId", source)
                .put("targetId", target);
    }


    private static JsonNode read(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return MAPPER.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = StandardsConformance.class.getResourceAsStream("standards/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource standards/" + name);
        }
        return in;
    }
}
