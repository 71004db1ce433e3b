package io.credpipe.issuer.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.credpipe.issuer.Fixtures;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Optional<CredentialStanding> VALID = Optional.of(CredentialStanding.VALID);
    private static final Optional<CredentialStanding> REVOKED = Optional.of(new CredentialStanding(true, false));

    private static CredentialRecord record(String id, FrameworkId framework, Level level, int sequence, Duration lasts,
            Optional<CredentialStanding> standing) {
        return new CredentialRecord(new IssuedCredential(id, "acme:E1", framework, level, sequence, "e30.e30.sig",
                NOW.minus(Duration.ofDays(10L * (5 - sequence))), NOW.plus(lasts), "kid"), JsonNodeFactory.instance.objectNode(), standing);
    }

    @Test
    void theNewestLaterAchievementOfTheSameLevelRenewsIt() {
        CredentialRecord first = record("c1", Fixtures.CHEMICAL, Level.DEVELOPING, 1, Duration.ofDays(20), VALID);
        CredentialRecord second = record("c2", Fixtures.CHEMICAL, Level.DEVELOPING, 2, Duration.ofDays(200), VALID);
        CredentialRecord third = record("c3", Fixtures.CHEMICAL, Level.DEVELOPING, 3, Duration.ofDays(300), VALID);
        List<CredentialRecord> all = List.of(first, third, second);

        assertThat(Renewals.renewalOf(first, all)).map(IssuedCredential::credentialId).hasValue("c3");
        assertThat(Renewals.renewalOf(second, all)).map(IssuedCredential::credentialId).hasValue("c3");
        assertThat(Renewals.renewalOf(third, all)).isEmpty();
    }

    @Test
    void anotherLevelAnotherFrameworkOrARevokedLaterOneRenewsNothing() {
        CredentialRecord first = record("c1", Fixtures.CHEMICAL, Level.DEVELOPING, 1, Duration.ofDays(20), VALID);
        FrameworkId other = FrameworkId.parse("51-8091.00@v.99.01").orElseThrow();

        assertThat(Renewals.renewalOf(first, List.of(first,
                record("c2", Fixtures.CHEMICAL, Level.PROFICIENT, 2, Duration.ofDays(200), VALID),
                record("c3", other, Level.DEVELOPING, 2, Duration.ofDays(200), VALID),
                record("c4", Fixtures.CHEMICAL, Level.DEVELOPING, 2, Duration.ofDays(200), REVOKED)))).isEmpty();
    }

    @Test
    void aRecordPresentsOneCurrentCredentialPerLevel() {
        CredentialRecord first = record("c1", Fixtures.CHEMICAL, Level.DEVELOPING, 1, Duration.ofDays(20), VALID);
        CredentialRecord renewal = record("c2", Fixtures.CHEMICAL, Level.DEVELOPING, 2, Duration.ofDays(200), VALID);
        CredentialRecord emerging = record("c3", Fixtures.CHEMICAL, Level.EMERGING, 1, Duration.ofDays(20), VALID);
        CredentialRecord lapsed = record("c4", Fixtures.CHEMICAL, Level.ADVANCED, 1, Duration.ofDays(-1), VALID);
        // A renewal whose status is not known yet is not current: the earlier credential stands in for it.
        CredentialRecord unknownRenewal = record("c5", Fixtures.CHEMICAL, Level.EMERGING, 2, Duration.ofDays(200), Optional.empty());

        assertThat(Renewals.currentUnrenewed(List.of(first, renewal, emerging, lapsed, unknownRenewal), NOW))
                .extracting(r -> r.issued().credentialId()).containsExactly("c2", "c3");
    }
}
