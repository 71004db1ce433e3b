package io.credpipe.issuer.credential;

import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.IdentityHash;
import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.EMAIL;
import static io.credpipe.issuer.Fixtures.ISSUED_AT;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CredentialAssemblerTest {

    private static final String SALT = "5a1t";
    private static final String SUBJECT_ID = "urn:uuid:0b9e2f7c-3c55-8a0e-9d4f-1a2b3c4d5e6f";

    private final Framework chemical = Fixtures.chemical();
    private final CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);

    private ObjectNode assemble(LevelAchieved achievement) {
        return assembler.assemble(achievement, chemical, ISSUED_AT, new SubjectIdentity(SUBJECT_ID, SALT));
    }

    @Test
    void declaresTheVcAndOpenBadgesContextsAndTypes() {
        ObjectNode credential = assemble(Fixtures.proficient(DANA));

        assertThat(texts(credential.get("@context"))).containsExactly(
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json");
        assertThat(texts(credential.get("type"))).containsExactly("VerifiableCredential", "OpenBadgeCredential");
        assertThat(credential.at("/credentialSchema/0/id").asText()).isEqualTo(
                "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json");
        assertThat(credential.at("/credentialSchema/0/type").asText()).isEqualTo("1EdTechJsonSchemaValidator2019");
        List<String> members = new ArrayList<>();
        credential.fieldNames().forEachRemaining(members::add);
        assertThat(members).startsWith("@context", "id", "type", "name");
    }

    @Test
    void isIdentifiedByTheDeterministicCredentialIdAndIssuedByTheProfile() {
        ObjectNode credential = assemble(Fixtures.proficient(DANA));

        CredentialId id = CredentialId.of("acme:E1234", Fixtures.CHEMICAL, Level.PROFICIENT, 1);
        assertThat(credential.get("id").asText()).isEqualTo(URLS.credential(id))
                .isEqualTo("https://credentials.example.com/credentials/" + id);
        assertThat(credential.get("name").asText())
                .isEqualTo("Proficient — Chemical Plant and System Operators (v.26.05)");
        assertThat(credential.at("/issuer/id").asText()).isEqualTo("did:web:credentials.example.com");
        assertThat(credential.at("/issuer/url").asText()).isEqualTo("https://credentials.example.com");
        assertThat(texts(credential.at("/issuer/type"))).containsExactly("Profile");
        assertThat(credential.at("/issuer/name").asText()).isEqualTo("Example Chemicals Training");
        assertThat(credential.at("/issuer/url").asText()).isEqualTo("https://credentials.example.com");
        assertThat(credential.get("validFrom").asText()).isEqualTo("2026-05-20T09:31:07Z");
        assertThat(credential.has("validUntil")).isFalse();
    }

    @Test
    void validUntilIsTheAchievementsExpiry() {
        Instant expiry = Instant.parse("2028-05-20T09:30:00.5Z");
        ObjectNode credential = assemble(Fixtures.achieved(DANA, Level.PROFICIENT, expiry));

        assertThat(credential.get("validUntil").asText()).isEqualTo("2028-05-20T09:30:00Z");
    }

    @Test
    void achievementIsTheLevelWithOneAlignmentPerStatementAndOneForTheOccupation() {
        JsonNode achievement = assemble(Fixtures.proficient(DANA)).at("/credentialSubject/achievement");

        assertThat(achievement.get("id").asText())
                .isEqualTo("https://credentials.example.com/frameworks/51-8091.00@v.26.05/proficient");
        assertThat(texts(achievement.get("type"))).containsExactly("Achievement");
        assertThat(achievement.get("achievementType").asText()).isEqualTo("Competency");
        assertThat(achievement.at("/creator/id").asText()).isEqualTo(ISSUER.id());

        List<Statement> statements = chemical.statements(Level.PROFICIENT);
        assertThat(statements).hasSize(10);
        JsonNode alignment = achievement.get("alignment");
        assertThat(alignment).hasSize(11);
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            JsonNode aligned = alignment.get(i);
            assertThat(texts(aligned.get("type"))).containsExactly("Alignment");
            assertThat(aligned.get("targetType").asText()).isEqualTo("ext:CompetencyStatement");
            assertThat(aligned.get("targetCode").asText()).isEqualTo("51-8091.00@v.26.05/proficient/" + (i + 1));
            assertThat(aligned.get("targetUrl").asText()).isEqualTo(
                    "https://credentials.example.com/frameworks/51-8091.00@v.26.05/proficient/" + (i + 1));
            assertThat(aligned.get("targetName").asText()).isEqualTo(statement.shortName());
            assertThat(aligned.get("targetDescription").asText()).isEqualTo(statement.text());
            assertThat(aligned.get("targetFramework").asText()).isEqualTo("Chemical Plant and System Operators v.26.05");
        }
        JsonNode occupation = alignment.get(10);
        assertThat(occupation.get("targetCode").asText()).isEqualTo("51-8091.00");
        assertThat(occupation.get("targetUrl").asText()).isEqualTo("https://www.onetonline.org/link/summary/51-8091.00");
        assertThat(occupation.get("targetName").asText()).isEqualTo("Chemical Plant and System Operators");
        assertThat(occupation.get("targetType").asText()).isEqualTo("ext:Occupation");
    }

    @Test
    void criteriaListsEveryStatementOfTheLevel() {
        String narrative = assemble(Fixtures.proficient(DANA)).at("/credentialSubject/achievement/criteria/narrative")
                .asText();

        for (Statement statement : chemical.statements(Level.PROFICIENT)) {
            assertThat(narrative).contains("**" + statement.shortName() + "** — " + statement.description())
                    .contains("`" + statement.id() + "`");
        }
        assertThat(chemical.statements(Level.DEVELOPING)).allSatisfy(s -> assertThat(narrative).doesNotContain(s.id().toString()));
    }

    @Test
    void descriptionAttributesOnetUnderCcBy() {
        String description = assemble(Fixtures.proficient(DANA)).at("/credentialSubject/achievement/description").asText();

        assertThat(description)
                .contains("Proficient level (3 of 4)")
                .contains(chemical.contextCovered())
                .contains("O*NET v30.2 (CC BY 4.0)")
                .contains("U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)")
                .contains("© EBSCOed");
    }

    @Test
    void resultDescriptionIsTheFourLevelRubricRequiringTheAchievedLevel() {
        ObjectNode credential = assemble(Fixtures.proficient(DANA));
        JsonNode descriptions = credential.at("/credentialSubject/achievement/resultDescription");

        assertThat(descriptions).hasSize(1);
        JsonNode description = descriptions.get(0);
        assertThat(texts(description.get("type"))).containsExactly("ResultDescription");
        assertThat(description.get("resultType").asText()).isEqualTo("RubricCriterionLevel");
        JsonNode levels = description.get("rubricCriterionLevel");
        assertThat(levels).hasSize(4);
        assertThat(levels).extracting(level -> level.get("name").asText())
                .containsExactly("Emerging", "Developing", "Proficient", "Advanced");
        assertThat(levels).allSatisfy(level -> assertThat(texts(level.get("type"))).containsExactly("RubricCriterionLevel"));
        String proficientId = levels.get(2).get("id").asText();
        assertThat(proficientId).isEqualTo("https://credentials.example.com/frameworks/51-8091.00@v.26.05#proficient");
        assertThat(description.get("requiredLevel").asText()).isEqualTo(proficientId);

        JsonNode result = credential.at("/credentialSubject/result");
        assertThat(result).hasSize(1);
        assertThat(texts(result.get(0).get("type"))).containsExactly("Result");
        assertThat(result.get(0).get("resultDescription").asText()).isEqualTo(description.get("id").asText());
        assertThat(result.get(0).get("achievedLevel").asText()).isEqualTo(proficientId);
    }

    @Test
    void requiredLevelFollowsTheAchievedLevel() {
        JsonNode description = assemble(Fixtures.achieved(DANA, Level.EMERGING, null))
                .at("/credentialSubject/achievement/resultDescription/0");

        assertThat(description.get("requiredLevel").asText()).endsWith("#emerging");
        assertThat(description.get("id").asText()).isEqualTo(
                "https://credentials.example.com/frameworks/51-8091.00@v.26.05/emerging#result");
    }

    @Test
    void subjectIsIdentifiedByTheSaltedEmailHashAndThePlainName() throws Exception {
        JsonNode subject = assemble(Fixtures.proficient(DANA)).get("credentialSubject");

        assertThat(subject.get("id").asText()).isEqualTo(SUBJECT_ID);
        assertThat(texts(subject.get("type"))).containsExactly("AchievementSubject");
        JsonNode identifiers = subject.get("identifier");
        assertThat(identifiers).hasSize(2);
        JsonNode email = identifiers.get(0);
        assertThat(email.get("type").asText()).isEqualTo("IdentityObject");
        assertThat(email.get("identityType").asText()).isEqualTo("emailAddress");
        assertThat(email.get("hashed").asBoolean()).isTrue();
        assertThat(email.get("salt").asText()).isEqualTo(SALT);
        String expected = "sha256$" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("dana.ruiz@example.com" + SALT).getBytes(StandardCharsets.UTF_8)));
        assertThat(email.get("identityHash").asText()).isEqualTo(expected);

        JsonNode name = identifiers.get(1);
        assertThat(name.get("identityType").asText()).isEqualTo("name");
        assertThat(name.get("hashed").asBoolean()).isFalse();
        assertThat(name.get("identityHash").asText()).isEqualTo("Dana Ruiz");
        assertThat(name.has("salt")).isFalse();
    }

    @Test
    void identityHashMatchesTheSpecExample() {
        // OB 3.0 IdentityHash: "a@example.com" salted with "Kosher".
        assertThat(IdentityHash.sha256("a@example.com", "Kosher").toString())
                .isEqualTo("sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
    }

    @Test
    void emailNeverAppearsInClear() {
        String json = assemble(Fixtures.proficient(DANA)).toString().toLowerCase(Locale.ROOT);

        assertThat(json).doesNotContain(EMAIL.toLowerCase(Locale.ROOT)).doesNotContain("dana.ruiz")
                .doesNotContain("@example.com");
    }

    @Test
    void withoutAnEmailTheHashedOperatorIdIdentifiesTheSubject() {
        JsonNode identifiers = assemble(Fixtures.proficient(ANONYMOUS)).at("/credentialSubject/identifier");

        assertThat(identifiers).hasSize(1);
        assertThat(identifiers.get(0).get("identityType").asText()).isEqualTo("sourcedId");
        assertThat(identifiers.get(0).get("hashed").asBoolean()).isTrue();
        assertThat(identifiers.get(0).get("identityHash").asText()).isEqualTo(IdentityHash.sha256("acme:E9999", SALT).toString());
    }

    @Test
    void evidenceNamesEachDemonstratingAssessment() {
        LevelAchieved achievement = Fixtures.proficient(DANA);
        JsonNode evidence = assemble(achievement).get("evidence");

        assertThat(evidence).hasSize(10);
        JsonNode first = evidence.get(0);
        assertThat(texts(first.get("type"))).containsExactly("Evidence");
        assertThat(first.get("name").asText()).isEqualTo("Assessment: " + chemical.statements(Level.PROFICIENT).get(0).shortName());
        assertThat(first.get("description").asText())
                .contains("51-8091.00@v.26.05/proficient/1")
                .contains("hr1-proficient-1")
                .contains("acme:S77")
                .doesNotContain("Sam Assessor");
        assertThat(first.get("genre").asText()).isEqualTo("observation");
    }

    @Test
    void theCredentialToSignSerialisesToTheSameBytesAsTheReadableOne() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        StatusLists lists = new StatusLists(URLS);
        for (Level level : Level.values()) {
            LevelAchieved achievement = Fixtures.achieved(DANA, level, null);
            String readable = mapper.writeValueAsString(assembler.assemble(achievement, chemical, ISSUED_AT,
                    Fixtures.SUBJECT, lists.entry("0-0", 42)));
            // Twice: the second one comes from the cached achievement.
            for (int i = 0; i < 2; i++) {
                assertThat(mapper.writeValueAsString(assembler.assembleForSigning(CredentialIssuer.legacyCredentialId(achievement), achievement, chemical, ISSUED_AT,
                        Fixtures.SUBJECT, lists.entry("0-0", 42)))).isEqualTo(readable);
            }
        }
    }

    @Test
    void aFrameworkRepublishedWithOtherContentGetsItsAchievementBuiltAgain() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        LevelAchieved achievement = Fixtures.proficient(DANA);
        assembler.assembleForSigning(CredentialIssuer.legacyCredentialId(achievement), achievement, chemical, ISSUED_AT, Fixtures.SUBJECT, null);
        Framework retitled = new Framework(chemical.id(), chemical.occupation(), chemical.description(),
                "Renamed framework scope.", chemical.levels(), chemical.provenance());

        String signed = mapper.writeValueAsString(assembler.assembleForSigning(CredentialIssuer.legacyCredentialId(achievement), achievement, retitled, ISSUED_AT,
                Fixtures.SUBJECT, null));

        assertThat(signed).contains("Renamed framework scope.")
                .isEqualTo(mapper.writeValueAsString(assembler.assemble(achievement, retitled, ISSUED_AT, Fixtures.SUBJECT)));
    }

    @Test
    void refusesAFrameworkOtherThanTheAchievements() {
        Framework other = SeedFrameworks.load().stream().filter(f -> !f.id().equals(Fixtures.CHEMICAL)).findFirst()
                .orElseThrow();

        assertThatThrownBy(() -> assembler.assemble(Fixtures.proficient(DANA), other, ISSUED_AT, Fixtures.SUBJECT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saltsAreDeterministicPerCredentialAndSecret() {
        byte[] secret = new byte[32];
        secret[0] = 1;
        IdentitySalts salts = new IdentitySalts(secret);
        CredentialId first = CredentialId.of("acme:E1234", Fixtures.CHEMICAL, Level.PROFICIENT, 1);
        CredentialId second = CredentialId.of("acme:E1234", Fixtures.CHEMICAL, Level.PROFICIENT, 2);
        byte[] otherSecret = secret.clone();
        otherSecret[31] = 7;

        assertThat(salts.forCredential(first)).matches("[0-9a-f]{64}")
                .isEqualTo(new IdentitySalts(secret.clone()).forCredential(first))
                .isNotEqualTo(salts.forCredential(second))
                .isNotEqualTo(new IdentitySalts(otherSecret).forCredential(first));
        assertThatThrownBy(() -> new IdentitySalts(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subjectIdIsStablePerOperatorPseudonymousAndKeyed() {
        byte[] secret = new byte[32];
        secret[0] = 1;
        byte[] otherSecret = secret.clone();
        otherSecret[31] = 7;
        IdentitySalts salts = new IdentitySalts(secret);
        CredentialId first = CredentialId.of("acme:E1234", Fixtures.CHEMICAL, Level.PROFICIENT, 1);
        CredentialId second = CredentialId.of("acme:E1234", Fixtures.CHEMICAL, Level.ADVANCED, 1);

        String id = salts.subjectId("acme:E1234");
        assertThat(id).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
                .doesNotContain("E1234")
                .isEqualTo(salts.forAchievement(first, "acme:E1234").id())
                .isEqualTo(salts.forAchievement(second, "acme:E1234").id())
                .isNotEqualTo(salts.subjectId("acme:E1235"))
                .isNotEqualTo(new IdentitySalts(otherSecret).subjectId("acme:E1234"));
        assertThat(salts.forAchievement(first, "acme:E1234").salt()).isEqualTo(salts.forCredential(first));
        assertThat(salts.forAchievement(first, "acme:E1234").toString()).doesNotContain(salts.forCredential(first));
    }

    @Test
    void subjectCarriesItsId() {
        assertThat(assemble(Fixtures.proficient(DANA)).at("/credentialSubject/id").asText()).isEqualTo(SUBJECT_ID);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
