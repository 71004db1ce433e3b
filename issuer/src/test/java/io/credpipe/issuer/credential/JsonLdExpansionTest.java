package io.credpipe.issuer.credential;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.StandardsConformance;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.status.StatusLists;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUED_AT;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apicatalog.jsonld.JsonLdError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.Level;
import jakarta.json.JsonArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials and status list credentials expand as JSON-LD with the bundled contexts only, in
 * safe mode: titanium's {@code undefinedTermsPolicy(Fail)} makes any term that no context defines an
 * error instead of silently dropping it (what jsonld.js calls {@code safe: true}).
 */
class JsonLdExpansionTest {

    private static final StandardsConformance STANDARDS = new StandardsConformance();

    private final CredentialAssembler assembler = new CredentialAssembler(ISSUER, URLS);
    private final StatusLists statusLists = new StatusLists(URLS);

    static Stream<LevelAchieved> achievements() {
        return Stream.of(
                Fixtures.proficient(DANA),
                Fixtures.proficient(ANONYMOUS),
                Fixtures.achieved(DANA, Level.EMERGING, Instant.parse("2028-01-01T00:00:00Z")));
    }

    private static JsonArray expand(ObjectNode document) throws Exception {
        return STANDARDS.expand(document);
    }

    @ParameterizedTest
    @MethodSource("achievements")
    void credentialsExpandInSafeMode(LevelAchieved achievement) throws Exception {
        ObjectNode credential = assembler.assemble(achievement, Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT,
                statusLists.entry("0-0", 4711));

        String expanded = expand(credential).toString();

        assertThat(expanded)
                .contains("https://www.w3.org/ns/credentials/status#BitstringStatusListEntry")
                .contains("https://www.w3.org/ns/credentials/status#statusListIndex")
                .contains("https://www.w3.org/ns/credentials/status#statusPurpose")
                .contains("https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential");
    }

    @Test
    void statusListCredentialsExpandInSafeMode() throws Exception {
        StatusListState list = StatusLists.empty("1-0", ISSUED_AT);

        String expanded = expand(statusLists.credential(list, ISSUER)).toString();

        assertThat(expanded)
                .contains("https://www.w3.org/ns/credentials/status#BitstringStatusListCredential")
                .contains("https://www.w3.org/ns/credentials/status#encodedList");
    }

    @Test
    void clrRecordsExpandInSafeMode() throws Exception {
        List<ClrAssembler.Bundled> bundled = new ArrayList<>();
        for (Level level : List.of(Level.EMERGING, Level.DEVELOPING)) {
            LevelAchieved achievement = Fixtures.achieved(DANA, level, null);
            IssuedCredential issued = new IssuedCredential(CredentialIssuer.legacyCredentialId(achievement).toString(), DANA.id(),
                    Fixtures.CHEMICAL, level, 1, "header.payload.signature", ISSUED_AT, null, "kid");
            bundled.add(new ClrAssembler.Bundled(issued, assembler.assemble(achievement, Fixtures.chemical(), ISSUED_AT,
                    Fixtures.SUBJECT, statusLists.entry("0-0", 10 + level.rank()))));
        }
        ObjectNode clr = new ClrAssembler(assembler.profile()).assemble(bundled);

        String expanded = expand(clr).toString();

        assertThat(expanded)
                .contains("https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential")
                .contains("https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrSubject")
                .contains("https://purl.imsglobal.org/spec/vc/clr/vocab.html#Association")
                .contains("https://purl.imsglobal.org/spec/vc/clr/vocab.html#identifier-1")
                .contains("https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential");
    }

    @Test
    void anUndefinedTermInAClrFailsTheExpansion() {
        LevelAchieved achievement = Fixtures.proficient(DANA);
        IssuedCredential issued = new IssuedCredential(CredentialIssuer.legacyCredentialId(achievement).toString(), DANA.id(),
                Fixtures.CHEMICAL, Level.PROFICIENT, 1, "header.payload.signature", ISSUED_AT, null, "kid");
        ObjectNode clr = new ClrAssembler(assembler.profile()).assemble(List.of(new ClrAssembler.Bundled(issued,
                assembler.assemble(achievement, Fixtures.chemical(), ISSUED_AT, Fixtures.SUBJECT))));
        ((ObjectNode) clr.get("credentialSubject")).put("holderColour", "green");

        assertThatThrownBy(() -> expand(clr)).isInstanceOf(JsonLdError.class);
    }

    @Test
    void anUndefinedTermFailsTheExpansion() {
        ObjectNode credential = assembler.assemble(Fixtures.proficient(DANA), Fixtures.chemical(), ISSUED_AT,
                Fixtures.SUBJECT, statusLists.entry("0-0", 1));
        ((ObjectNode) credential.get("credentialStatus")).put("statusColour", "green");

        assertThatThrownBy(() -> expand(credential)).isInstanceOf(JsonLdError.class);
    }
}
