package io.credpipe.issuer.credential;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.StandardsConformance;
import io.credpipe.issuer.status.StatusLists;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUED_AT;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.Level;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Assembled credentials against 1EdTech's OB 3.0 AchievementCredential JSON Schema (draft 2019-09). */
class CredentialSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final StandardsConformance STANDARDS = new StandardsConformance();

    private final CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);

    static Stream<LevelAchieved> achievements() {
        return Stream.of(
                Fixtures.proficient(DANA),
                Fixtures.proficient(ANONYMOUS),
                Fixtures.achieved(DANA, Level.EMERGING, Instant.parse("2028-01-01T00:00:00Z")),
                Fixtures.achieved(ANONYMOUS, Level.ADVANCED, null));
    }

    @ParameterizedTest
    @MethodSource("achievements")
    void assembledCredentialsAreValid(LevelAchieved achievement) {
        ObjectNode credential = assembler.assemble(achievement, Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT);

        assertThat(STANDARDS.achievementCredentialErrors(credential)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("achievements")
    void credentialsWithTheirStatusEntryAreValid(LevelAchieved achievement) {
        ObjectNode credential = assembler.assemble(achievement, Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT,
                new StatusLists(URLS).entry("3-0", 94_567));

        assertThat(credential.at("/credentialStatus/statusListIndex").asText()).isEqualTo("94567");
        assertThat(STANDARDS.achievementCredentialErrors(credential)).isEmpty();
    }

    @Test
    void theValidatorAcceptsOneEdTechsCompleteSample() throws IOException {
        assertThat(STANDARDS.achievementCredentialErrors(read("validator-ob30-complete.json"))).isEmpty();
    }

    @Test
    void theValidatorRejectsTheNegativeSample() throws IOException {
        assertThat(STANDARDS.achievementCredentialErrors(read("negative-bad.json")))
                .anySatisfy(message -> assertThat(message).contains("criteria"))
                .anySatisfy(message -> assertThat(message).contains("targetType"));
    }

    @Test
    void aTargetTypeWithoutTheExtPrefixIsInvalid() {
        ObjectNode credential = assembler.assemble(Fixtures.proficient(DANA), Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT);
        ((ObjectNode) credential.at("/credentialSubject/achievement/alignment/10")).put("targetType", "Occupation");

        assertThat(STANDARDS.achievementCredentialErrors(credential)).isNotEmpty();
    }

    @Test
    void anIdentityObjectWithAnUndefinedMemberIsInvalid() {
        ObjectNode credential = assembler.assemble(Fixtures.proficient(DANA), Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT);
        ((ObjectNode) credential.at("/credentialSubject/identifier/0")).put("email", "x");

        assertThat(STANDARDS.achievementCredentialErrors(credential)).isNotEmpty();
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
