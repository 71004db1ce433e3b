package io.credpipe.issuer.stream;

import io.credpipe.issuer.delivery.DeliveryEvents;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.CredentialStatusCommand;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.topics.serde.JsonSerde;
import io.credpipe.topics.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The issuer's Kafka Streams topology, a thin adapter over {@link CredentialIssuer} and
 * {@link StatusLists}:
 *
 * <pre>
 * frameworks ──────────▶ global store {@value #FRAMEWORKS_STORE}
 * credential-status ───▶ global store {@value #STATUS_LISTS_GLOBAL_STORE} (served by every instance)
 * credentials ─────────▶ global store {@value #CREDENTIALS_GLOBAL_STORE} (by id and by operator, see {@link CredentialIndex})
 * achievements ────────▶ issue / revoke ─┬─▶ credentials (key = credential id)
 * credential-commands ─▶ change status ──┼─▶ credential-status (key = status list id)
 *   (hourly) expiry scan ────────────────┴─▶ deliveries (key = operator id)
 *   task stores: {@value #ISSUED_STORE}, {@value #ACHIEVEMENT_RECORDS_STORE}, {@value #AWAITING_FRAMEWORK_STORE},
 *                {@value #STATUS_LISTS_STORE}, {@value #STATUS_ALLOCATIONS_STORE}
 * </pre>
 *
 * <ul>
 *   <li>{@code LevelAchieved}: when its credential id is already in the task's issued store nothing
 *       happens, so a replayed achievement never signs twice; otherwise a random free index of the
 *       task's current status list is taken, and the credential is signed with that status entry,
 *       forwarded and stored, all in one exactly-once transaction.</li>
 *   <li>{@code LevelLost}: the credential of that achievement is revoked (its status bit set and the
 *       list written to {@code credential-status}); an achievement still waiting for its framework
 *       is dropped instead, as its level is no longer met.</li>
 *   <li>{@link CredentialStatusCommand}s (revoke, suspend, reinstate) change the status the same
 *       way; a command that changes nothing writes nothing.</li>
 *   <li>An achievement whose framework this issuer has not received is neither dropped nor allowed
 *       to stop the partition: it is logged and set aside in a persistent, changelogged store, and
 *       a wall-clock punctuation retries the set-aside achievements every
 *       {@link #RETRY_INTERVAL}, issuing each as soon as its framework arrives.</li>
 *   <li>Every issue, revocation, suspension and reinstatement is also a {@link DeliveryEvent} on
 *       {@code deliveries}, written in the same transaction; a wall-clock punctuation every
 *       {@link #EXPIRY_SCAN_INTERVAL} announces, once each, the task's current credentials that lapse
 *       within {@link DeliveryEvents#EXPIRY_NOTICE}.</li>
 * </ul>
 *
 * <p>Status lists belong to a partition of {@code achievements} (list id
 * {@code {partition}-{sequence}}): only the task of that partition allocates their indexes, so no
 * coordination is needed and no index is handed out twice, across restarts too, because the
 * allocation bitmaps are changelogged stores written in the same transaction as the credential.
 * Achievements and commands are keyed by operator id and must have the same partition count, so an
 * operator's credentials, lists and commands all meet in one task.
 *
 * <p>The processors: {@link AchievementProcessor} and {@link CommandProcessor}, over the task
 * state they share in {@link IssuerTaskProcessor}.
 */
public final class IssuerTopology {

    /** The global store of frameworks, by framework id. */
    public static final String FRAMEWORKS_STORE = "issuer-frameworks";
    /**
     * Every credential this task issued, by credential id, as an {@link IssuedEntry}: the replay
     * guard, and where its status entry is. The credentials themselves are in the global store.
     */
    public static final String ISSUED_STORE = "issuer-issued";
    /**
     * The {@code achievements} record of every credential this task issued, by credential id, as the
     * bytes it arrived as: what a reinstatement issues again. Kept as bytes, so that issuing a
     * credential costs no second serialisation of its achievement.
     */
    public static final String ACHIEVEMENT_RECORDS_STORE = "issuer-achievement-records";
    /** Achievements waiting for their framework, by credential id. */
    public static final String AWAITING_FRAMEWORK_STORE = "issuer-awaiting-framework";
    /** The task's own status lists, by list id: what it reads and changes. */
    public static final String STATUS_LISTS_STORE = "issuer-status-lists";
    /** Which indexes of the task's status lists are taken, by list id (see {@link io.credpipe.issuer.status.StatusIndexAllocation}). */
    public static final String STATUS_ALLOCATIONS_STORE = "issuer-status-allocations";
    /** Every status list of every partition, from {@code credential-status}, by list id. */
    public static final String STATUS_LISTS_GLOBAL_STORE = "issuer-status-lists-global";
    /**
     * Every credential of every partition, from {@code credentials}, by id and by operator (see
     * {@link CredentialIndex}): what the HTTP API reads, on any instance.
     */
    public static final String CREDENTIALS_GLOBAL_STORE = "issuer-credentials-global";
    /** How often set-aside achievements are retried. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    /**
     * How often the task's credentials are scanned for a coming expiry: a notice 30 days ahead
     * loses nothing by being up to an hour late, and each scan reads the whole task store.
     */
    public static final Duration EXPIRY_SCAN_INTERVAL = Duration.ofHours(1);

    private final IssuerMetrics metrics = new IssuerMetrics();
    private final IssuerTaskProcessor.Shared shared;

    /** A topology allocating status indexes with {@link SecureRandom}. */
    public IssuerTopology(CredentialIssuer issuer, StatusLists statusLists) {
        this(issuer, statusLists, SecureRandom::new);
    }

    IssuerTopology(CredentialIssuer issuer, StatusLists statusLists, Supplier<RandomGenerator> randomness) {
        this.shared = new IssuerTaskProcessor.Shared(issuer, statusLists, randomness, metrics, new ParsedFrameworks());
    }

    /** The topology; each call builds a new one sharing this instance's counters. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        // Kept as the records' bytes: a task parses a framework again only when its bytes change,
        // not for every credential (see ParsedFrameworks).
        builder.globalTable(Topics.FRAMEWORKS.name(), Consumed.with(Topics.FRAMEWORKS.keySerde(), Serdes.ByteArray()),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(FRAMEWORKS_STORE)
                        .withKeySerde(Topics.FRAMEWORKS.keySerde())
                        .withValueSerde(Serdes.ByteArray()));
        builder.globalTable(Topics.CREDENTIAL_STATUS.name(), Topics.CREDENTIAL_STATUS.consumed(),
                Materialized.<String, StatusListState, KeyValueStore<Bytes, byte[]>>as(STATUS_LISTS_GLOBAL_STORE)
                        .withKeySerde(Topics.CREDENTIAL_STATUS.keySerde())
                        .withValueSerde(Topics.CREDENTIAL_STATUS.valueSerde()));
        // Global stores are restored from their source topic, so they have no changelog of their own.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CREDENTIALS_GLOBAL_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                // Bytes, so that the store keeps each record as written instead of serialising it again.
                Topics.CREDENTIALS.name(), Consumed.with(Topics.CREDENTIALS.keySerde(), Serdes.ByteArray()),
                () -> new CredentialIndex.Updater(CREDENTIALS_GLOBAL_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ISSUED_STORE), Serdes.String(), new JsonSerde<>(IssuedEntry.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ACHIEVEMENT_RECORDS_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AWAITING_FRAMEWORK_STORE), Serdes.String(),
                Topics.ACHIEVEMENTS.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATUS_LISTS_STORE), Serdes.String(),
                Topics.CREDENTIAL_STATUS.valueSerde()));
        // Cached: a bitmap is 16 KB, and only its last value per commit needs to reach the changelog.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATUS_ALLOCATIONS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        String[] taskStores = {ISSUED_STORE, ACHIEVEMENT_RECORDS_STORE, AWAITING_FRAMEWORK_STORE, STATUS_LISTS_STORE,
                STATUS_ALLOCATIONS_STORE};
        // Read as bytes and parsed by the processor, which keeps the bytes of each achievement it issues.
        KStream<String, IssuerOutput> fromAchievements = builder
                .stream(Topics.ACHIEVEMENTS.name(), Consumed.with(Topics.ACHIEVEMENTS.keySerde(), Serdes.ByteArray()))
                .process(() -> new AchievementProcessor(shared), taskStores);
        KStream<String, IssuerOutput> fromCommands = builder
                .stream(Topics.CREDENTIAL_COMMANDS.name(), Topics.CREDENTIAL_COMMANDS.consumed())
                .process(() -> new CommandProcessor(shared), taskStores);
        KStream<String, IssuerOutput> output = fromAchievements.merge(fromCommands);
        output.filter((key, value) -> value.credential() != null)
                .mapValues(IssuerOutput::credential)
                .to(Topics.CREDENTIALS.name(), Topics.CREDENTIALS.produced());
        output.filter((key, value) -> value.status() != null)
                .mapValues(IssuerOutput::status)
                .to(Topics.CREDENTIAL_STATUS.name(), Topics.CREDENTIAL_STATUS.produced());
        output.filter((key, value) -> value.delivery() != null)
                .mapValues(IssuerOutput::delivery)
                .to(Topics.DELIVERIES.name(), Topics.DELIVERIES.produced());
        return builder.build();
    }

    /**
     * Counts what the tasks do into {@code meters}: {@code credpipe.issuer.credentials.issued},
     * {@code credpipe.issuer.replays.ignored}, {@code credpipe.issuer.levels.lost},
     * {@code credpipe.issuer.awaiting.framework}, {@code credpipe.issuer.status.changes}.
     */
    public void registerMeters(MeterRegistry meters) {
        metrics.register(Objects.requireNonNull(meters, "meters"));
    }

    /** What the topology's tasks did so far. */
    public IssuerCounts counts() {
        return metrics.snapshot();
    }
}
