package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's page as built from records, without HTTP: statuses in words and ladders. */
class OperatorPageTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final String BASE = "https://credentials.example.com";
    private static final Framework CHEMICAL = Fixtures.chemical();

    private static CredentialRecord record(String id, Level level, Instant validUntil, Optional<CredentialStanding> standing) {
        return record(id, level, 1, NOW.minus(Duration.ofDays(100)), validUntil, standing);
    }

    private static CredentialRecord record(String id, Level level, int sequence, Instant issuedAt, Instant validUntil,
            Optional<CredentialStanding> standing) {
        IssuedCredential issued = new IssuedCredential(id, "acme:E1", CHEMICAL.id(), level, sequence, "e30.e30.sig",
                issuedAt, validUntil, "kid");
        ObjectNode credential = JsonNodeFactory.instance.objectNode();
        credential.put("id", BASE + "/credentials/" + id);
        credential.put("name", level.defaultLabel() + " credential");
        credential.putObject("credentialSubject").putArray("identifier").addObject()
                .put("identityType", "name").put("identityHash", "Dana Ruiz");
        return new CredentialRecord(issued, credential, standing);
    }

    private static OperatorPage page(List<CredentialRecord> records, Optional<List<OperatorProgress.FrameworkLadder>> progress) {
        return OperatorPage.of("/o/TOKEN", BASE, records, progress,
                id -> id.equals(CHEMICAL.id()) ? Optional.of(CHEMICAL) : Optional.empty(), NOW, BASE + "/assets/x.css");
    }

    @Test
    void eachStatusIsSaidInWordsAndOnlyAValidCredentialGoesToAWallet() {
        OperatorPage page = page(List.of(
                record("c-valid", Level.EMERGING, null, Optional.of(CredentialStanding.VALID)),
                record("c-expired", Level.DEVELOPING, NOW.minusSeconds(1), Optional.of(CredentialStanding.VALID)),
                record("c-suspended", Level.PROFICIENT, null, Optional.of(new CredentialStanding(false, true))),
                record("c-revoked", Level.ADVANCED, null, Optional.of(new CredentialStanding(true, false))),
                record("c-unknown", Level.ADVANCED, null, Optional.empty())), Optional.empty());
        assertThat(page.operatorName()).isEqualTo("Dana Ruiz");
        assertThat(page.credentials()).extracting(OperatorPage.Card::credentialId)
                .containsExactly("c-unknown", "c-revoked", "c-suspended", "c-expired", "c-valid");
        assertThat(page.credentials()).extracting(OperatorPage.Card::status)
                .containsExactly("Status not yet known", "Revoked", "Suspended", "Expired", "Valid");
        assertThat(page.credentials()).extracting(OperatorPage.Card::walletPath)
                .containsExactly(null, null, null, null, "/o/TOKEN/wallet/c-valid");
        OperatorPage.Card valid = page.credentials().get(4);
        assertThat(valid.jwtPath()).isEqualTo("/o/TOKEN/credentials/c-valid.jwt");
        assertThat(valid.shareUrl()).isEqualTo(BASE + "/verify?url=https%3A%2F%2Fcredentials.example.com%2Fcredentials%2Fc-valid");
        assertThat(valid.expires()).isEqualTo("Does not expire");
        assertThat(valid.framework()).isEqualTo(CHEMICAL.title() + " (" + CHEMICAL.version() + ")");
        assertThat(page.credentials().get(3).explanation()).contains("lapsed on 5 December 2026");
    }

    /** Developing, achievement 1, issued 300 days ago, lapsing in 60. */
    private static CredentialRecord firstDeveloping() {
        return record("c-first", Level.DEVELOPING, 1, NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(60)),
                Optional.of(CredentialStanding.VALID));
    }

    /** Its renewal, achievement 2, issued 3 days ago with {@code standing}. */
    private static CredentialRecord renewedDeveloping(CredentialStanding standing) {
        return record("c-renewal", Level.DEVELOPING, 2, NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(360)),
                Optional.of(standing));
    }

    @Test
    void aRenewedCredentialStaysValidButPointsToItsRenewalWhichAloneGoesToAWallet() {
        OperatorPage page = page(List.of(
                firstDeveloping(),
                renewedDeveloping(CredentialStanding.VALID),
                record("c-other-level", Level.EMERGING, 2, NOW.minus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(360)),
                        Optional.of(CredentialStanding.VALID))), Optional.empty());

        assertThat(page.credentials()).extracting(OperatorPage.Card::credentialId)
                .containsExactly("c-other-level", "c-renewal", "c-first");
        OperatorPage.Card first = page.credentials().get(2);
        assertThat(first.status()).isEqualTo("Valid");
        assertThat(first.explanation()).contains("renewed on 2 December 2026").contains("share the renewal");
        assertThat(first.walletPath()).isNull();
        assertThat(first.lcwPath()).isNull();
        assertThat(page.credentials().get(1).explanation()).doesNotContain("renewed");
        assertThat(page.credentials().get(1).walletPath()).isEqualTo("/o/TOKEN/wallet/c-renewal");
        assertThat(page.credentials().get(0).walletPath()).as("another level is no renewal").isEqualTo("/o/TOKEN/wallet/c-other-level");
    }

    @Test
    void aRevokedRenewalRenewsNothing() {
        OperatorPage page = page(List.of(
                firstDeveloping(),
                renewedDeveloping(new CredentialStanding(true, false))), Optional.empty());

        OperatorPage.Card first = page.credentials().get(1);
        assertThat(first.explanation()).doesNotContain("renewed");
        assertThat(first.walletPath()).isEqualTo("/o/TOKEN/wallet/c-first");
    }

    @Test
    void withoutProgressTheLadderShowsTheLevelsCurrentCredentialsCertify() {
        OperatorPage page = page(List.of(
                record("c1", Level.EMERGING, null, Optional.of(CredentialStanding.VALID)),
                record("c2", Level.DEVELOPING, NOW.plus(Duration.ofDays(9)), Optional.of(CredentialStanding.VALID)),
                record("c3", Level.PROFICIENT, null, Optional.of(new CredentialStanding(true, false)))), Optional.empty());
        assertThat(page.progressKnown()).isFalse();
        assertThat(page.ladders()).hasSize(1);
        List<OperatorPage.Rung> rungs = page.ladders().get(0).rungs();
        assertThat(rungs).extracting(OperatorPage.Rung::level).containsExactly("Advanced", "Proficient", "Developing", "Emerging");
        assertThat(rungs).extracting(OperatorPage.Rung::state).containsExactly("open", "open", "met", "met");
        assertThat(rungs.get(2).validUntil()).isEqualTo("14 December 2026");
        assertThat(rungs.get(3).validUntil()).isNull();
    }

    @Test
    void progressNamesTheStatementsAndWhenEachPassStopsCounting() {
        var statements = CHEMICAL.statements(Level.PROFICIENT);
        var demonstrated = new io.credpipe.model.decision.DemonstratedStatement(statements.get(0).id().toString(), "e1",
                new io.credpipe.model.event.Assessor("s", null), null, NOW, NOW.plus(Duration.ofDays(365)));
        List<String> missing = statements.subList(1, statements.size()).stream().map(s -> s.id().toString()).toList();
        OperatorProgress.FrameworkLadder ladder = new OperatorProgress.FrameworkLadder(CHEMICAL.id(), List.of(
                new OperatorProgress.Rung(Level.PROFICIENT, false, List.of(demonstrated), missing, null)));
        OperatorPage page = page(List.of(), Optional.of(List.of(ladder)));
        assertThat(page.progressKnown()).isTrue();
        assertThat(page.credentials()).isEmpty();
        OperatorPage.Rung rung = page.ladders().get(0).rungs().get(0);
        assertThat(rung.state()).isEqualTo("progress");
        assertThat(rung.stateText()).isEqualTo("1 of " + statements.size() + " statements demonstrated");
        assertThat(rung.demonstrated().get(0).name()).isEqualTo(statements.get(0).shortName());
        assertThat(rung.demonstrated().get(0).expires()).isEqualTo("5 December 2027");
        assertThat(rung.missing()).extracting(OperatorPage.Line::name).contains(statements.get(1).shortName());
    }
}
