package io.credpipe.issuer.stream;

import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.issuer.status.StatusIndexAllocation;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.CredentialStatusCommand;

import static io.credpipe.issuer.Fixtures.DANA;
import static io.credpipe.issuer.Fixtures.ISSUER;
import static io.credpipe.issuer.Fixtures.URLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.credential.StatusBitstring;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.decision.LossReason;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status entries, index allocation, revocation and manual status commands in the issuer topology. */
class StatusTopologyTest {

    private static final Instant NOW = Instant.parse("2026-05-21T08:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    private IssuerKeys issuerKeys;
    private TopologyTestDriver driver;
    private TestInputTopic<String, LevelDecision> achievements;
    private TestInputTopic<String, CredentialStatusCommand> commands;
    private TestOutputTopic<String, IssuedCredential> credentials;
    private TestOutputTopic<String, StatusListState> statuses;

    @BeforeEach
    void keys() throws Exception {
        issuerKeys = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        start();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void start() {
        PublishedKeys keys = new PublishedKeys(issuerKeys, URLS);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS),
                issuerKeys.identitySalts(), keys.signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuer-status-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        driver = new TopologyTestDriver(new IssuerTopology(issuer, new StatusLists(URLS)).build(), properties);
        TestInputTopic<String, Framework> frameworks = driver.createInputTopic(Topics.FRAMEWORKS.name(),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer());
        SeedFrameworks.load().forEach(framework -> frameworks.pipeInput(framework.id().toString(), framework));
        achievements = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
        commands = driver.createInputTopic(Topics.CREDENTIAL_COMMANDS.name(),
                Topics.CREDENTIAL_COMMANDS.keySerde().serializer(),
                Topics.CREDENTIAL_COMMANDS.valueSerde().serializer());
        credentials = driver.createOutputTopic(Topics.CREDENTIALS.name(),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer());
        statuses = driver.createOutputTopic(Topics.CREDENTIAL_STATUS.name(),
                Topics.CREDENTIAL_STATUS.keySerde().deserializer(), Topics.CREDENTIAL_STATUS.valueSerde().deserializer());
    }

    private static JsonNode status(IssuedCredential credential) throws Exception {
        return MAPPER.readTree(JWSObject.parse(credential.jwt()).getPayload().toString()).get("credentialStatus");
    }

    /**
     * The entry read as Bitstring Status List v1.0 §3.2 defines, as any verifier does: {@code statusSize}
     * defaults to 1, and a {@code revocation} entry whose bit is set is revoked.
     */
    private static CredentialStanding standing(StatusListState state, JsonNode entry) {
        assertThat(state.purpose()).isEqualTo(entry.get("statusPurpose").asText());
        int value = StatusBitstring.decode(state.encodedList(), state.length(), entry.path("statusSize").asInt(1))
                .status(Integer.parseInt(entry.get("statusListIndex").asText()));
        return entry.get("statusPurpose").asText().equals("revocation")
                ? new CredentialStanding(value == 1, false)
                : CredentialStanding.of(value);
    }

    private static JsonNode statusUnchecked(IssuedCredential credential) {
        try {
            return status(credential);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private IssuedCredential issueProficient() {
        achievements.pipeInput(DANA.id(), Fixtures.proficient(DANA));
        return credentials.readValue();
    }

    private CredentialStatusCommand command(IssuedCredential credential, StatusAction action) {
        return new CredentialStatusCommand("c-" + action.id(), credential.credentialId(), credential.operatorId(), action,
                "because", "admin", NOW);
    }

    @Test
    void anIssuedCredentialHasAStatusEntryInAPublishedList() throws Exception {
        IssuedCredential credential = issueProficient();

        JsonNode entry = status(credential);
        assertThat(entry.get("type").asText()).isEqualTo("BitstringStatusListEntry");
        assertThat(entry.get("statusPurpose").asText()).isEqualTo("revocation");
        assertThat(entry.has("statusSize")).as("one bit, the default").isFalse();
        assertThat(entry.has("statusMessage")).isFalse();
        assertThat(entry.get("statusListIndex").asText()).matches("0|[1-9][0-9]*");
        assertThat(entry.get("statusListCredential").asText()).isEqualTo(URLS.base() + "/v1/status/0-0");
        assertThat(entry.get("id").asText()).isEqualTo(URLS.base() + "/v1/status/0-0#" + entry.get("statusListIndex").asText());
        List<StatusListState> published = statuses.readValuesToList();
        assertThat(published).singleElement().satisfies(list -> {
            assertThat(list.listId()).isEqualTo("0-0");
            assertThat(list.length()).isEqualTo(131_072);
            assertThat(standing(list, entry)).isEqualTo(CredentialStanding.VALID);
        });
        KeyValueStore<String, StatusListState> global = driver.getKeyValueStore(IssuerTopology.STATUS_LISTS_GLOBAL_STORE);
        assertThat(global.get("0-0")).isEqualTo(published.get(0));
    }

    /** DESIGN.md "Decision rule": a renewal is a new credential; expiry is not a revocation; a loss takes superseded ones too. */
    @Test
    void aRenewalIsANewCredentialAndALossRevokesTheSupersededOneToo() throws Exception {
        Instant firstUntil = Fixtures.ACHIEVED_AT.plus(java.time.Duration.ofDays(365));
        LevelAchieved first = Fixtures.achieved(DANA, Level.PROFICIENT, firstUntil);
        LevelAchieved renewal = new LevelAchieved(DANA, first.framework(), Level.PROFICIENT, 2, first.statements(),
                first.achievedAt().plus(java.time.Duration.ofDays(300)), firstUntil.plus(java.time.Duration.ofDays(300)),
                first.policy(), "hr1-again");
        achievements.pipeInput(DANA.id(), first);
        achievements.pipeInput(DANA.id(), renewal);
        List<IssuedCredential> issued = credentials.readValuesToList();
        statuses.readValuesToList();

        assertThat(issued).extracting(IssuedCredential::sequence).containsExactly(1, 2);
        assertThat(issued.get(1).credentialId()).isNotEqualTo(issued.get(0).credentialId());
        assertThat(issued).extracting(IssuedCredential::validUntil)
                .containsExactly(firstUntil, firstUntil.plus(java.time.Duration.ofDays(300)));

        // A failure while renewed: the renewal is revoked, and so is the superseded one had it not lapsed.
        achievements.pipeInput(DANA.id(), new LevelLost(DANA, first.framework(), Level.PROFICIENT, 2, LossReason.FAILED,
                "failed", first.achievedAt().plus(java.time.Duration.ofDays(301)), first.policy(), "hr1-fail"));
        List<StatusListState> changes = statuses.readValuesToList();
        StatusListState list = changes.get(changes.size() - 1);
        assertThat(standing(list, status(issued.get(1)))).isEqualTo(new CredentialStanding(true, false));
        assertThat(standing(list, status(issued.get(0)))).as("lost before its own validUntil: revoked too")
                .isEqualTo(new CredentialStanding(true, false));
    }

    @Test
    void aLevelLostByExpiryRevokesNothing() throws Exception {
        Instant until = Fixtures.ACHIEVED_AT.plus(java.time.Duration.ofDays(365));
        LevelAchieved achieved = Fixtures.achieved(DANA, Level.PROFICIENT, until);
        achievements.pipeInput(DANA.id(), achieved);
        IssuedCredential credential = credentials.readValue();
        statuses.readValuesToList();

        achievements.pipeInput(DANA.id(), new LevelLost(DANA, achieved.framework(), Level.PROFICIENT, 1, LossReason.EXPIRED,
                "expired", until, achieved.policy(), "hr1-later"));

        assertThat(statuses.isEmpty()).as("it lapsed at its validUntil; verifiers say expired, not revoked").isTrue();
        StatusListState list = driver.<String, StatusListState>getKeyValueStore(IssuerTopology.STATUS_LISTS_GLOBAL_STORE).get("0-0");
        assertThat(standing(list, status(credential))).isEqualTo(CredentialStanding.VALID);
    }

    @Test
    void aLostLevelRevokesItsCredential() throws Exception {
        IssuedCredential credential = issueProficient();
        statuses.readValuesToList();

        achievements.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));

        StatusListState list = statuses.readValue();
        assertThat(standing(list, status(credential))).isEqualTo(new CredentialStanding(true, false));
        assertThat(statuses.isEmpty()).isTrue();
        assertThat(credentials.isEmpty()).isTrue();
    }

    @Test
    void aSuspensionRevokesAndReinstatementIssuesTheAchievementAfresh() throws Exception {
        IssuedCredential credential = issueProficient();
        JsonNode entry = status(credential);
        statuses.readValuesToList();

        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));
        StatusListState suspended = statuses.readValue();
        assertThat(standing(suspended, entry)).as("a suspended credential reads as revoked")
                .isEqualTo(new CredentialStanding(true, false));
        IssuedEntry recorded = driver.<String, IssuedEntry>getKeyValueStore(IssuerTopology.ISSUED_STORE)
                .get(credential.credentialId());
        assertThat(recorded.suspended()).isTrue();
        assertThat(recorded.revokedBecause()).contains("because");
        // The entry stays small: the achievement to issue again is its record as it arrived, kept beside it.
        assertThat(recorded.achievement()).isNull();
        assertThat(recorded.framework()).isEqualTo(Fixtures.proficient(DANA).framework());
        assertThat(recorded.level()).isEqualTo(Level.PROFICIENT);
        byte[] kept = driver.<String, byte[]>getKeyValueStore(IssuerTopology.ACHIEVEMENT_RECORDS_STORE)
                .get(credential.credentialId());
        assertThat(Topics.ACHIEVEMENTS.valueSerde().deserializer().deserialize(Topics.ACHIEVEMENTS.name(), kept))
                .isEqualTo(Fixtures.proficient(DANA));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));
        assertThat(statuses.isEmpty()).as("a command that changes nothing writes nothing").isTrue();

        commands.pipeInput(DANA.id(), command(credential, StatusAction.REINSTATE));

        IssuedCredential reissued = credentials.readValue();
        assertThat(credentials.isEmpty()).isTrue();
        assertThat(reissued.credentialId()).isNotEqualTo(credential.credentialId());
        assertThat(reissued.operatorId()).isEqualTo(credential.operatorId());
        assertThat(reissued.level()).isEqualTo(credential.level());
        assertThat(reissued.sequence()).isEqualTo(credential.sequence());
        // The reissue names itself: its id URL (and jti) is its own, not the revoked original's.
        JsonNode reissuedPayload = MAPPER.readTree(JWSObject.parse(reissued.jwt()).getPayload().toString());
        assertThat(reissuedPayload.get("id").asText()).endsWith("/credentials/" + reissued.credentialId());
        assertThat(reissuedPayload.get("jti").asText()).endsWith("/credentials/" + reissued.credentialId());
        JsonNode reissuedEntry = status(reissued);
        assertThat(reissuedEntry.get("statusListIndex").asText()).isNotEqualTo(entry.get("statusListIndex").asText());
        StatusListState list = driver.<String, StatusListState>getKeyValueStore(IssuerTopology.STATUS_LISTS_GLOBAL_STORE)
                .get("0-0");
        assertThat(List.of(credential, reissued)).as("exactly one valid credential for the level")
                .filteredOn(c -> !standing(list, statusUnchecked(c)).revoked()).containsExactly(reissued);

        commands.pipeInput(DANA.id(), command(credential, StatusAction.REINSTATE));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));
        assertThat(credentials.isEmpty()).as("replaying the reinstatement issues nothing").isTrue();
        assertThat(statuses.isEmpty()).isTrue();
    }

    @Test
    void aCredentialWhoseEntryHeldTheWholeAchievementIsStillReinstated() throws Exception {
        IssuedCredential credential = issueProficient();
        statuses.readValuesToList();
        // As a data directory of 2026-12-04 to 12-06 holds it: the achievement inside the entry, no record beside it.
        KeyValueStore<String, IssuedEntry> store = driver.getKeyValueStore(IssuerTopology.ISSUED_STORE);
        IssuedEntry recorded = store.get(credential.credentialId());
        store.put(credential.credentialId(), new IssuedEntry(recorded.operatorId(), recorded.listId(), recorded.index(),
                null, null, null, Fixtures.proficient(DANA), 0, null, false, null, false, null));
        driver.<String, byte[]>getKeyValueStore(IssuerTopology.ACHIEVEMENT_RECORDS_STORE).delete(credential.credentialId());

        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.REINSTATE));

        IssuedCredential reissued = credentials.readValue();
        assertThat(reissued.credentialId()).isNotEqualTo(credential.credentialId());
        assertThat(reissued.level()).isEqualTo(Level.PROFICIENT);
        assertThat(reissued.sequence()).isEqualTo(credential.sequence());
        // The reissue's own entry is of the new, small shape, and can itself be suspended and reinstated.
        assertThat(store.get(reissued.credentialId()).achievement()).isNull();
        commands.pipeInput(DANA.id(), command(reissued, StatusAction.SUSPEND));
        commands.pipeInput(DANA.id(), command(reissued, StatusAction.REINSTATE));
        assertThat(credentials.readValue().credentialId()).isNotIn(credential.credentialId(), reissued.credentialId());
    }

    @Test
    void aLostLevelRevokesTheReissueOfAReinstatedCredential() throws Exception {
        IssuedCredential credential = issueProficient();
        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.REINSTATE));
        IssuedCredential reissued = credentials.readValue();
        statuses.readValuesToList();

        achievements.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));

        assertThat(standing(statuses.readValue(), status(reissued))).isEqualTo(new CredentialStanding(true, false));
        commands.pipeInput(DANA.id(), command(reissued, StatusAction.REINSTATE));
        assertThat(credentials.isEmpty()).as("a revocation is final").isTrue();
    }

    @Test
    void revocationIsFinal() throws Exception {
        IssuedCredential credential = issueProficient();
        JsonNode entry = status(credential);
        statuses.readValuesToList();

        commands.pipeInput(DANA.id(), command(credential, StatusAction.REVOKE));
        assertThat(standing(statuses.readValue(), entry)).isEqualTo(new CredentialStanding(true, false));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.REINSTATE));
        commands.pipeInput(DANA.id(), command(credential, StatusAction.SUSPEND));

        assertThat(statuses.isEmpty()).isTrue();
        assertThat(credentials.isEmpty()).isTrue();
    }

    @Test
    void aTwoBitMessageListOfEarlierCredentialsIsStillReadAndChangedButGetsNoNewEntries() throws Exception {
        // A credential issued before suspension became a revocation: list 0-0 is a two-bit message list.
        StatusListState legacy = StatusLists.emptyMessageList("0-0", NOW);
        driver.<String, StatusListState>getKeyValueStore(IssuerTopology.STATUS_LISTS_STORE).put("0-0", legacy);
        driver.<String, IssuedEntry>getKeyValueStore(IssuerTopology.ISSUED_STORE)
                .put("old-credential", new IssuedEntry(DANA.id(), "0-0", 7));
        JsonNode oldEntry = new StatusLists(URLS).messageEntry("0-0", 7);
        IssuedCredential old = new IssuedCredential("old-credential", DANA.id(), Fixtures.CHEMICAL, Level.EMERGING, 1,
                "unused", NOW, null, "kid");

        commands.pipeInput(DANA.id(), command(old, StatusAction.SUSPEND));
        assertThat(standing(statuses.readValue(), oldEntry)).isEqualTo(new CredentialStanding(false, true));
        commands.pipeInput(DANA.id(), command(old, StatusAction.REINSTATE));
        assertThat(standing(statuses.readValue(), oldEntry)).isEqualTo(CredentialStanding.VALID);
        assertThat(credentials.isEmpty()).as("an old credential is reinstated in its list, not issued again").isTrue();

        IssuedCredential fresh = issueProficient();
        assertThat(status(fresh).get("statusListCredential").asText()).endsWith("/0-1");
        assertThat(statuses.readValuesToList()).extracting(StatusListState::listId, StatusListState::purpose)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0-1", "revocation"));
    }

    @Test
    void aCommandUnderAnotherOperatorsKeyIsIgnored() {
        IssuedCredential credential = issueProficient();
        statuses.readValuesToList();

        commands.pipeInput("acme:someone-else", command(credential, StatusAction.REVOKE));

        assertThat(statuses.isEmpty()).isTrue();
    }

    /**
     * Many allocations in one task. Restarts are covered by {@code StatusIT} on a real broker:
     * {@code TopologyTestDriver.close()} deletes the state directory, so it cannot show what a
     * restarted task restores.
     */
    @Test
    void noTwoCredentialsShareAnIndex() throws Exception {
        Set<Integer> indexes = new HashSet<>();
        int count = 1000;
        for (int i = 0; i < count; i++) {
            Operator operator = new Operator("acme:many-" + i, null, null);
            achievements.pipeInput(operator.id(), Fixtures.achieved(operator, Level.EMERGING, null));
        }
        List<IssuedCredential> issued = credentials.readValuesToList();
        assertThat(issued).hasSize(count);
        for (IssuedCredential credential : issued) {
            JsonNode entry = status(credential);
            assertThat(entry.get("statusListCredential").asText()).endsWith("/0-0");
            assertThat(indexes.add(Integer.parseInt(entry.get("statusListIndex").asText())))
                    .as("index of %s is new", credential.credentialId()).isTrue();
        }
        byte[] stored = driver.<String, byte[]>getKeyValueStore(IssuerTopology.STATUS_ALLOCATIONS_STORE).get("0-0");
        StatusIndexAllocation allocation = StatusIndexAllocation.fromBytes(stored);
        assertThat(allocation.taken()).isEqualTo(count);
        assertThat(indexes).allSatisfy(index -> assertThat(allocation.isTaken(index)).isTrue());
        Map<Boolean, Long> halves = indexes.stream()
                .collect(Collectors.partitioningBy(index -> index < StatusLists.ENTRIES / 2, Collectors.counting()));
        assertThat(halves.get(true)).as("indexes are spread over the list, not handed out in order").isBetween(400L, 600L);
    }

    @Test
    void aFullListIsFollowedByTheNextWhichIsPublishedOnce() throws Exception {
        achievements.pipeInput("acme:first", Fixtures.achieved(new Operator("acme:first", null, null), Level.EMERGING, null));
        assertThat(status(credentials.readValue()).get("statusListCredential").asText()).endsWith("/0-0");
        byte[] full = new byte[StatusLists.ENTRIES / 8];
        Arrays.fill(full, (byte) 0xff);
        driver.<String, byte[]>getKeyValueStore(IssuerTopology.STATUS_ALLOCATIONS_STORE).put("0-0", full);

        for (int i = 0; i < 3; i++) {
            Operator operator = new Operator("acme:next-" + i, null, null);
            achievements.pipeInput(operator.id(), Fixtures.achieved(operator, Level.EMERGING, null));
        }

        assertThat(credentials.readValuesToList()).hasSize(3).allSatisfy(credential ->
                assertThat(status(credential).get("statusListCredential").asText()).endsWith("/0-1"));
        assertThat(statuses.readValuesToList()).extracting(StatusListState::listId).containsExactly("0-0", "0-1");
        byte[] next = driver.<String, byte[]>getKeyValueStore(IssuerTopology.STATUS_ALLOCATIONS_STORE).get("0-1");
        assertThat(StatusIndexAllocation.fromBytes(next).taken()).isEqualTo(3);
    }

    @Test
    void aLevelLostWhileItsFrameworkIsMissingIsNeverIssued() {
        driver.close();
        // A driver without frameworks: the achievement waits.
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuer-status-test-2");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state2").toString());
        PublishedKeys keys = new PublishedKeys(issuerKeys, URLS);
        CredentialIssuer issuer = new CredentialIssuer(new CredentialAssembler(ISSUER, URLS),
                issuerKeys.identitySalts(), keys.signer(), Clock.fixed(NOW, ZoneOffset.UTC));
        driver = new TopologyTestDriver(new IssuerTopology(issuer, new StatusLists(URLS)).build(), properties);
        TestInputTopic<String, LevelDecision> input = driver.createInputTopic(Topics.ACHIEVEMENTS.name(),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer());
        LevelAchieved achievement = Fixtures.proficient(DANA);

        input.pipeInput(DANA.id(), achievement);
        input.pipeInput(DANA.id(), Fixtures.lost(DANA, Level.PROFICIENT));

        KeyValueStore<String, LevelDecision> awaiting = driver.getKeyValueStore(IssuerTopology.AWAITING_FRAMEWORK_STORE);
        assertThat(awaiting.get(issuer.credentialId(achievement).toString())).isNull();
    }
}
