package io.credpipe.issuer.stream;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.CredentialStatusCommand;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery events the issuer's topology writes with its credentials and status lists: issued,
 * revoked, suspended, reinstated, and one expiry notice per credential 30 days ahead.
 */
class DeliveryTopologyTest {

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");

    @TempDir
    Path temp;

    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private TopologyTestDriver driver;
    private TestInputTopic<String, LevelDecision> achievements;
    private TestInputTopic<String, CredentialStatusCommand> commands;
    private TestOutputTopic<String, IssuedCredential> credentials;
    private TestOutputTopic<String, DeliveryEvent> deliveries;

    @BeforeEach
    void start() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        PublishedKeys keys = new PublishedKeys(issuerKeys, URLS);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS),
                issuerKeys.identitySalts(), keys.signer(), clock);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuer-delivery-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        driver = new TopologyTestDriver(new IssuerTopology(issuer, new StatusLists(URLS)).build(), properties, NOW);
        TestInputTopic<String, Framework> frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer());
        SeedFrameworks.load().forEach(framework -> frameworks.pipeInput(framework.id().toString(), framework));
        achievements = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
        commands = driver.createInputTopic(Topics.CREDENTIAL_COMMANDS.name(),
                Topics.CREDENTIAL_COMMANDS.keySerde().serializer(), Topics.CREDENTIAL_COMMANDS.valueSerde().serializer());
        credentials = driver.createOutputTopic(Topics.CREDENTIALS.name(),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer());
        deliveries = driver.createOutputTopic(Topics.DELIVERIES.name(),
                Topics.DELIVERIES.keySerde().deserializer(), Topics.DELIVERIES.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private CredentialStatusCommand command(IssuedCredential credential, StatusAction action) {
        return new CredentialStatusCommand("c-" + action.id(), credential.credentialId(), credential.operatorId(), action,
                "because", "admin", NOW);
    }

    @Test
    void anIssuedCredentialIsDeliveredOnceKeyedByItsOperator() {
        achievements.pipeInput(DANA.id(), Fixtures.proficient(DANA));
        IssuedCredential issued = credentials.readValue();
        KeyValue<String, DeliveryEvent> record = deliveries.readKeyValue();
        assertThat(record.key).isEqualTo(DANA.id());
        assertThat(record.value.kind()).isEqualTo(DeliveryKind.ISSUED);
        assertThat(record.value.credentialId()).isEqualTo(issued.credentialId());
        assertThat(record.value.frameworkId()).isEqualTo(Fixtures.CHEMICAL.toString());
        assertThat(record.value.level()).isEqualTo("proficient");
        assertThat(record.value.occurredAt()).isEqualTo(issued.issuedAt());
        // A replay issues nothing and announces nothing.
        achievements.pipeInput(DANA.id(), Fixtures.proficient(DANA));
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void aLostLevelIsARevocation() {
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.PROFICIENT, null));
        IssuedCredential issued = credentials.readValue();
        deliveries.readValue();
        achievements.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));
        DeliveryEvent revoked = deliveries.readValue();
        assertThat(revoked.kind()).isEqualTo(DeliveryKind.REVOKED);
        assertThat(revoked.credentialId()).isEqualTo(issued.credentialId());
        assertThat(revoked.detail()).contains("lost");
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void suspensionReinstatementAndRevocationAreEachDelivered() {
        achievements.pipeInput(DANA.id(), Fixtures.proficient(DANA));
        IssuedCredential first = credentials.readValue();
        deliveries.readValue();

        commands.pipeInput(DANA.id(), command(first, StatusAction.SUSPEND));
        DeliveryEvent suspended = deliveries.readValue();
        assertThat(suspended.kind()).isEqualTo(DeliveryKind.SUSPENDED);
        assertThat(suspended.credentialId()).isEqualTo(first.credentialId());
        assertThat(suspended.detail()).contains("because");
        // Suspending again changes nothing, and says nothing.
        commands.pipeInput(DANA.id(), command(first, StatusAction.SUSPEND));
        assertThat(deliveries.isEmpty()).isTrue();

        commands.pipeInput(DANA.id(), command(first, StatusAction.REINSTATE));
        IssuedCredential replacement = credentials.readValue();
        DeliveryEvent reinstated = deliveries.readValue();
        assertThat(reinstated.kind()).isEqualTo(DeliveryKind.REINSTATED);
        assertThat(reinstated.credentialId()).isEqualTo(replacement.credentialId()).isNotEqualTo(first.credentialId());
        assertThat(reinstated.detail()).contains(first.credentialId());
        assertThat(deliveries.isEmpty()).isTrue();

        commands.pipeInput(DANA.id(), command(replacement, StatusAction.REVOKE));
        DeliveryEvent revoked = deliveries.readValue();
        assertThat(revoked.kind()).isEqualTo(DeliveryKind.REVOKED);
        assertThat(revoked.credentialId()).isEqualTo(replacement.credentialId());
    }

    @Test
    void aCredentialIsAnnouncedAsExpiringOnceThirtyDaysAhead() {
        Instant lapses = NOW.plus(Duration.ofDays(40));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.PROFICIENT, lapses));
        IssuedCredential issued = credentials.readValue();
        deliveries.readValue();

        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        assertThat(deliveries.isEmpty()).isTrue();

        now.set(lapses.minus(Duration.ofDays(29)));
        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        KeyValue<String, DeliveryEvent> expiring = deliveries.readKeyValue();
        assertThat(expiring.key).isEqualTo(DANA.id());
        assertThat(expiring.value.kind()).isEqualTo(DeliveryKind.EXPIRING);
        assertThat(expiring.value.credentialId()).isEqualTo(issued.credentialId());
        assertThat(expiring.value.detail()).contains(lapses.toString());

        now.set(lapses.minus(Duration.ofDays(1)));
        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void aCredentialARenewalSupersededIsNotAnnouncedAsExpiringButTheRenewalIs() {
        Instant firstLapses = NOW.plus(Duration.ofDays(40));
        Instant renewalLapses = NOW.plus(Duration.ofDays(400));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.PROFICIENT, firstLapses));
        IssuedCredential first = credentials.readValue();
        achievements.pipeInput(DANA.id(), renewal(Fixtures.achieved(DANA, Level.PROFICIENT, renewalLapses)));
        IssuedCredential renewal = credentials.readValue();
        assertThat(renewal.credentialId()).isNotEqualTo(first.credentialId());
        deliveries.readValuesToList();

        assertNoExpiryNoticeWhenDue(firstLapses);
        IssuedEntry superseded = issuedStore().get(first.credentialId());
        assertThat(superseded.supersededBy()).isEqualTo(renewal.credentialId());
        assertThat(superseded.revoked()).as("valid until its own validUntil").isFalse();

        now.set(renewalLapses.minus(Duration.ofDays(29)));
        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        DeliveryEvent expiring = deliveries.readValue();
        assertThat(expiring.kind()).isEqualTo(DeliveryKind.EXPIRING);
        assertThat(expiring.credentialId()).isEqualTo(renewal.credentialId());
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void theReissueOfASupersededCredentialIsSupersededToo() {
        Instant firstLapses = NOW.plus(Duration.ofDays(40));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.PROFICIENT, firstLapses));
        IssuedCredential first = credentials.readValue();
        commands.pipeInput(DANA.id(), command(first, StatusAction.SUSPEND));
        commands.pipeInput(DANA.id(), command(first, StatusAction.REINSTATE));
        IssuedCredential reissue = credentials.readValue();
        achievements.pipeInput(DANA.id(), renewal(Fixtures.achieved(DANA, Level.PROFICIENT, NOW.plus(Duration.ofDays(400)))));
        IssuedCredential renewal = credentials.readValue();
        deliveries.readValuesToList();

        // The renewal supersedes what the holder has of the first achievement: its reissue.
        IssuedEntry reissued = issuedStore().get(reissue.credentialId());
        assertThat(reissued.supersededBy()).isEqualTo(renewal.credentialId());
        assertNoExpiryNoticeWhenDue(firstLapses);
    }

    @Test
    void aCredentialIssuedUnderItsOldNameBasedIdIsSupersededByItsRenewalToo() {
        Instant firstLapses = NOW.plus(Duration.ofDays(40));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.EMERGING, null));
        KeyValueStore<String, IssuedEntry> store = issuedStore();
        String listId = store.get(credentials.readValue().credentialId()).listId();
        LevelAchieved first = Fixtures.achieved(DANA, Level.PROFICIENT, firstLapses);
        String legacy = CredentialIssuer.legacyCredentialId(first).toString();
        // As a data directory from before secret-derived ids holds it.
        store.put(legacy, IssuedEntry.issued(first, new StatusLists.Position(listId, 7), 0));
        deliveries.readValuesToList();

        achievements.pipeInput(DANA.id(), renewal(Fixtures.achieved(DANA, Level.PROFICIENT, NOW.plus(Duration.ofDays(400)))));
        IssuedCredential renewal = credentials.readValue();

        assertThat(store.get(legacy).supersededBy()).isEqualTo(renewal.credentialId());
        deliveries.readValuesToList();
        assertNoExpiryNoticeWhenDue(firstLapses);
    }

    @Test
    void aLevelLostRevokesASupersededCredentialUnderItsOldNameBasedIdToo() {
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.EMERGING, null));
        KeyValueStore<String, IssuedEntry> store = issuedStore();
        String listId = store.get(credentials.readValue().credentialId()).listId();
        LevelAchieved first = Fixtures.achieved(DANA, Level.PROFICIENT, NOW.plus(Duration.ofDays(40)));
        String legacy = CredentialIssuer.legacyCredentialId(first).toString();
        store.put(legacy, IssuedEntry.issued(first, new StatusLists.Position(listId, 7), 0));
        achievements.pipeInput(DANA.id(), renewal(Fixtures.achieved(DANA, Level.PROFICIENT, NOW.plus(Duration.ofDays(400)))));
        credentials.readValue();

        // A failure while renewed: the renewal (achievement 2) is revoked, and the superseded one too.
        LevelLost lost = Fixtures.lost(DANA, Level.PROFICIENT);
        achievements.pipeInput(DANA.id(), new LevelLost(lost.operator(), lost.framework(), lost.level(), 2, lost.reason(),
                lost.detail(), lost.lostAt(), lost.policy(), lost.causedBy()));

        assertThat(store.get(legacy).revoked()).as("superseded, not yet lapsed, and its level lost").isTrue();
    }

    /** When a notice of the credential lapsing at {@code lapses} would be due, none is written: its holder has the renewal. */
    private void assertNoExpiryNoticeWhenDue(Instant lapses) {
        now.set(lapses.minus(Duration.ofDays(29)));
        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        assertThat(deliveries.isEmpty()).as("its holder has the renewal").isTrue();
    }

    private KeyValueStore<String, IssuedEntry> issuedStore() {
        return driver.getKeyValueStore(IssuerTopology.ISSUED_STORE);
    }

    /** The evaluator's renewal of {@code achieved}: the next achievement of the same level. */
    private static LevelAchieved renewal(LevelAchieved achieved) {
        return new LevelAchieved(achieved.operator(), achieved.framework(), achieved.level(), achieved.sequence() + 1,
                achieved.statements(), achieved.achievedAt().plus(Duration.ofDays(1)), achieved.validUntil(), achieved.policy(),
                achieved.causedBy() + "-renewed");
    }

    @Test
    void revokedOrLapsedCredentialsAreNotAnnouncedAsExpiring() {
        Instant lapses = NOW.plus(Duration.ofDays(40));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.PROFICIENT, lapses));
        IssuedCredential revoked = credentials.readValue();
        commands.pipeInput(DANA.id(), command(revoked, StatusAction.REVOKE));
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.EMERGING, NOW.plus(Duration.ofDays(2))));
        deliveries.readValuesToList();

        now.set(NOW.plus(Duration.ofDays(20)));
        driver.advanceWallClockTime(IssuerTopology.EXPIRY_SCAN_INTERVAL);
        assertThat(deliveries.isEmpty()).isTrue();
    }
}
