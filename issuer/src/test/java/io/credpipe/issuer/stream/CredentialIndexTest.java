package io.credpipe.issuer.stream;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.StatusLists;

import static io.credpipe.issuer.Fixtures.ANONYMOUS;
import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global credential store: fed from {@code credentials}, looked up by id and by operator. */
class CredentialIndexTest {

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");

    @TempDir
    Path temp;

    private TopologyTestDriver driver;
    private TestInputTopic<String, LevelDecision> achievements;
    private TestInputTopic<String, IssuedCredential> credentials;
    private KeyValueStore<String, byte[]> store;

    private CredentialIssuer issuer;

    @BeforeEach
    void driver() throws Exception {
        IssuerKeys issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS),
                issuerKeys.identitySalts(), new PublishedKeys(issuerKeys, URLS).signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "credential-index-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        driver = new TopologyTestDriver(new IssuerTopology(issuer, new StatusLists(URLS)).build(), properties);
        TestInputTopic<String, Framework> frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer());
        SeedFrameworks.load().forEach(framework -> frameworks.pipeInput(framework.id().toString(), framework));
        achievements = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
        credentials = driver.createInputTopic(Topics.CREDENTIALS.name(),
                Topics.CREDENTIALS.keySerde().serializer(), Topics.CREDENTIALS.valueSerde().serializer());
        store = driver.getKeyValueStore(IssuerTopology.CREDENTIALS_GLOBAL_STORE);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static IssuedCredential credential(Operator operator, Level level, int sequence, Instant issuedAt) {
        LevelAchieved achievement = Fixtures.achieved(operator, level, null);
        return new IssuedCredential(
                io.credpipe.model.credential.CredentialId.of(operator.id(), Fixtures.CHEMICAL, level, sequence).toString(),
                operator.id(), Fixtures.CHEMICAL, level, sequence, "h.p.s", issuedAt, achievement.validUntil(), "kid");
    }

    @Test
    void whatTheIssuerWritesToCredentialsIsFoundByIdAndByOperator() {
        LevelAchieved achievement = Fixtures.proficient(DANA);
        String id = issuer.credentialId(achievement).toString();

        achievements.pipeInput(DANA.id(), achievement);

        IssuedCredential stored = CredentialIndex.credential(store, id).orElseThrow();
        assertThat(stored.operatorId()).isEqualTo(DANA.id());
        assertThat(stored.level()).isEqualTo(Level.PROFICIENT);
        assertThat(CredentialIndex.ofOperator(store, DANA.id())).containsExactly(stored);
        assertThat(CredentialIndex.ofOperator(store, ANONYMOUS.id())).isEmpty();
    }

    @Test
    void anOperatorsCredentialsComeOldestFirstAndNoOtherOperatorsShareThePrefix() {
        Operator longer = new Operator(DANA.id() + "5", null, null);
        IssuedCredential first = credential(DANA, Level.EMERGING, 1, NOW);
        IssuedCredential second = credential(DANA, Level.DEVELOPING, 1, NOW.plusSeconds(60));
        IssuedCredential other = credential(longer, Level.EMERGING, 1, NOW);

        credentials.pipeInput(second.credentialId(), second);
        credentials.pipeInput(other.credentialId(), other);
        credentials.pipeInput(first.credentialId(), first);

        assertThat(CredentialIndex.ofOperator(store, DANA.id())).containsExactly(first, second);
        assertThat(CredentialIndex.ofOperator(store, longer.id())).containsExactly(other);
        assertThat(CredentialIndex.ofOperator(store, "acme:E")).isEmpty();
        assertThat(CredentialIndex.credential(store, other.credentialId())).contains(other);
    }

    @Test
    void aTombstoneRemovesTheCredentialAndItsIndexEntry() {
        IssuedCredential credential = credential(DANA, Level.EMERGING, 1, NOW);
        credentials.pipeInput(credential.credentialId(), credential);

        credentials.pipeInput(credential.credentialId(), null);

        assertThat(CredentialIndex.credential(store, credential.credentialId())).isEmpty();
        assertThat(CredentialIndex.ofOperator(store, DANA.id())).isEmpty();
        try (var all = store.all()) {
            assertThat(all.hasNext()).isFalse();
        }
    }

    @Test
    void aRewrittenCredentialMovesToItsNewOperator() {
        IssuedCredential credential = credential(DANA, Level.EMERGING, 1, NOW);
        IssuedCredential moved = new IssuedCredential(credential.credentialId(), ANONYMOUS.id(), credential.framework(),
                credential.level(), credential.sequence(), credential.jwt(), credential.issuedAt(), null, "kid");
        credentials.pipeInput(credential.credentialId(), credential);

        credentials.pipeInput(credential.credentialId(), moved);

        assertThat(CredentialIndex.ofOperator(store, DANA.id())).isEmpty();
        assertThat(CredentialIndex.ofOperator(store, ANONYMOUS.id())).containsExactly(moved);
    }

    @Test
    void keysWithTheSeparatorAreNeverLookedUp() {
        IssuedCredential credential = credential(DANA, Level.EMERGING, 1, NOW);
        credentials.pipeInput(credential.credentialId(), credential);

        assertThat(CredentialIndex.ofOperator(store, DANA.id() + CredentialIndex.SEPARATOR)).isEmpty();
        assertThat(CredentialIndex.credential(store, CredentialIndex.SEPARATOR + credential.credentialId())).isEmpty();
    }

    @Test
    void theOperatorIsReadFromARecordWithoutDecodingItWhereverItStands() {
        IssuedCredential credential = credential(DANA, Level.EMERGING, 1, NOW);
        byte[] asWritten = Topics.CREDENTIALS.valueSerde().serializer().serialize(Topics.CREDENTIALS.name(), credential);
        byte[] reordered = ("{\"jwt\":\"h.p.s\",\"nested\":{\"operatorId\":\"not this one\"},\"list\":[{\"operatorId\":1}],"
                + "\"operatorId\":\"" + DANA.id() + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(CredentialIndex.operatorId(asWritten)).isEqualTo(DANA.id());
        assertThat(CredentialIndex.operatorId(reordered)).isEqualTo(DANA.id());
        assertThat(CredentialIndex.operatorId(null)).isNull();
        assertThat(CredentialIndex.operatorId("null".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThatThrownBy(() -> CredentialIndex.operatorId("{\"credentialId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("no operatorId");
        assertThatThrownBy(() -> CredentialIndex.operatorId("{\"operatorId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> CredentialIndex.operatorId("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
