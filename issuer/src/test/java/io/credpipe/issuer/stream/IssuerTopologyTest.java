package io.credpipe.issuer.stream;

import io.credpipe.issuer.status.IssuedEntry;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.StatusLists;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
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

class IssuerTopologyTest {

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");

    @TempDir
    Path temp;

    private PublishedKeys keys;
    private IssuerTopology topology;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Framework> frameworks;
    private TestInputTopic<String, LevelDecision> achievements;
    private TestOutputTopic<String, IssuedCredential> credentials;

    private CredentialIssuer issuer;

    @BeforeEach
    void driver() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        keys = new PublishedKeys(issuerKeys, URLS);
        issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS),
                issuerKeys.identitySalts(), keys.signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        topology = new IssuerTopology(issuer, new StatusLists(URLS));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuer-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        driver = new TopologyTestDriver(topology.build(), properties);
        frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer());
        achievements = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
        credentials = driver.createOutputTopic(Topics.CREDENTIALS.name(),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static List<String> keys(List<KeyValue<String, IssuedCredential>> records) {
        return records.stream().map(record -> record.key).toList();
    }

    private void publishSeedFrameworks() {
        SeedFrameworks.load().forEach(framework -> frameworks.pipeInput(framework.id().toString(), framework));
    }

    @Test
    void anAchievementIssuesOneSignedCredential() throws Exception {
        publishSeedFrameworks();
        LevelAchieved achievement = Fixtures.proficient(DANA);

        achievements.pipeInput(DANA.id(), achievement);

        var issued = credentials.readKeyValuesToList();
        assertThat(issued).hasSize(1);
        KeyValue<String, IssuedCredential> record = issued.get(0);
        String credentialId = issuer.credentialId(achievement).toString();
        assertThat(record.key).isEqualTo(credentialId);
        IssuedCredential credential = record.value;
        assertThat(credential.credentialId()).isEqualTo(credentialId);
        assertThat(credential.operatorId()).isEqualTo(DANA.id());
        assertThat(credential.framework()).isEqualTo(Fixtures.CHEMICAL);
        assertThat(credential.level()).isEqualTo(Level.PROFICIENT);
        assertThat(credential.sequence()).isEqualTo(1);
        assertThat(credential.issuedAt()).isEqualTo(NOW);
        assertThat(credential.validUntil()).isNull();
        assertThat(credential.keyId()).isEqualTo(keys.activeKeyId());

        JWSObject jws = JWSObject.parse(credential.jwt());
        assertThat(jws.verify(new ECDSAVerifier((ECKey) keys.jwks().getKeyByKeyId(jws.getHeader().getKeyID())))).isTrue();
        JsonNode payload = new ObjectMapper().readTree(jws.getPayload().toString());
        assertThat(payload.get("jti").asText()).isEqualTo(URLS.credential(issuer.credentialId(achievement)));
        assertThat(payload.get("validFrom").asText()).isEqualTo("2026-05-21T08:00:00Z");

        KeyValueStore<String, IssuedEntry> store = driver.getKeyValueStore(IssuerTopology.ISSUED_STORE);
        IssuedEntry entry = store.get(credentialId);
        assertThat(entry.operatorId()).isEqualTo(DANA.id());
        assertThat(payload.at("/credentialStatus/statusListIndex").asText()).isEqualTo(Integer.toString(entry.index()));
        assertThat(payload.at("/credentialStatus/statusListCredential").asText()).endsWith("/" + entry.listId());
        assertThat(topology.counts()).isEqualTo(new IssuerCounts(1, 0, 0, 0, 0));
    }

    @Test
    void theCredentialIdIsDerivedWithTheIssuerSecretNotFromThePublishedNamespace() {
        publishSeedFrameworks();
        LevelAchieved achievement = Fixtures.proficient(DANA);

        achievements.pipeInput(DANA.id(), achievement);

        String id = credentials.readKeyValuesToList().get(0).key;
        // Anyone can compute the name-based id from the employee number; nobody can compute this one without the secret.
        assertThat(id).isNotEqualTo(CredentialIssuer.legacyCredentialId(achievement).toString())
                .isNotEqualTo(new io.credpipe.issuer.credential.IdentitySalts(new byte[32])
                        .credentialId(DANA.id(), achievement.framework(), achievement.level(), achievement.sequence()).toString());
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(8);
    }

    @Test
    void aCredentialIssuedUnderItsOldNameBasedIdIsStillFoundForReplaysAndLosses() {
        publishSeedFrameworks();
        achievements.pipeInput(DANA.id(), Fixtures.achieved(DANA, Level.EMERGING, null));
        credentials.readKeyValuesToList();
        LevelAchieved achievement = Fixtures.proficient(DANA);
        String legacy = CredentialIssuer.legacyCredentialId(achievement).toString();
        KeyValueStore<String, IssuedEntry> store = driver.getKeyValueStore(IssuerTopology.ISSUED_STORE);
        // As a data directory from before secret-derived ids holds it.
        String listId = store.get(issuer.credentialId(Fixtures.achieved(DANA, Level.EMERGING, null)).toString()).listId();
        store.put(legacy, IssuedEntry.issued(achievement, new io.credpipe.issuer.status.StatusLists.Position(listId, 7), 0));

        achievements.pipeInput(DANA.id(), achievement);
        assertThat(credentials.isEmpty()).as("a replay, not a second credential").isTrue();

        achievements.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));
        assertThat(store.get(legacy).revoked()).isTrue();
    }

    @Test
    void aReplayedAchievementIsNotSignedAgain() {
        publishSeedFrameworks();
        LevelAchieved achievement = Fixtures.proficient(DANA);

        achievements.pipeInput(DANA.id(), achievement);
        achievements.pipeInput(DANA.id(), achievement);
        achievements.pipeInput(DANA.id(), achievement);

        assertThat(credentials.readKeyValuesToList()).hasSize(1);
        assertThat(topology.counts()).isEqualTo(new IssuerCounts(1, 2, 0, 0, 0));
    }

    @Test
    void aLaterAchievementOfTheSameLevelIsANewCredential() {
        publishSeedFrameworks();
        LevelAchieved first = Fixtures.proficient(DANA);
        LevelAchieved second = new LevelAchieved(first.operator(), first.framework(), first.level(), 2,
                first.statements(), first.achievedAt().plusSeconds(86_400), null, first.policy(), "hr1-again");

        achievements.pipeInput(DANA.id(), first);
        achievements.pipeInput(DANA.id(), second);

        assertThat(keys(credentials.readKeyValuesToList())).containsExactly(
                issuer.credentialId(first).toString(), issuer.credentialId(second).toString());
    }

    @Test
    void aLostLevelWithoutCredentialIssuesNothing() {
        publishSeedFrameworks();

        achievements.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));

        assertThat(credentials.isEmpty()).isTrue();
        assertThat(topology.counts()).isEqualTo(new IssuerCounts(0, 0, 1, 0, 0));
    }

    @Test
    void anAchievementOfAnUnknownFrameworkWaitsForTheFramework() {
        LevelAchieved achievement = Fixtures.proficient(DANA);
        String credentialId = issuer.credentialId(achievement).toString();

        achievements.pipeInput(DANA.id(), achievement);
        achievements.pipeInput(DANA.id(), achievement);
        driver.advanceWallClockTime(IssuerTopology.RETRY_INTERVAL);

        assertThat(credentials.isEmpty()).isTrue();
        KeyValueStore<String, LevelDecision> awaiting = driver.getKeyValueStore(IssuerTopology.AWAITING_FRAMEWORK_STORE);
        assertThat(awaiting.get(credentialId)).isEqualTo(achievement);
        assertThat(topology.counts().awaitingFramework()).isEqualTo(1);

        publishSeedFrameworks();
        driver.advanceWallClockTime(IssuerTopology.RETRY_INTERVAL);

        assertThat(keys(credentials.readKeyValuesToList())).containsExactly(credentialId);
        assertThat(awaiting.get(credentialId)).isNull();
        achievements.pipeInput(DANA.id(), achievement);
        driver.advanceWallClockTime(IssuerTopology.RETRY_INTERVAL);
        assertThat(credentials.isEmpty()).isTrue();
        assertThat(topology.counts()).isEqualTo(new IssuerCounts(1, 1, 0, 1, 0));
    }
}
