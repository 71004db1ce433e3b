package io.credpipe.issuer.stream;

import io.credpipe.issuer.delivery.DeliveryEvents;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.issuer.status.PartitionStatusLists;
import io.credpipe.issuer.status.StatusRules;
import io.credpipe.issuer.status.StatusListStore;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.credential.CredentialStatusCommand;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.framework.Framework;
import io.credpipe.topics.serde.JsonSerde;
import io.credpipe.topics.topic.Topics;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Longer than 400 lines because its two processors share the task's five stores, counters, parsed
 * frameworks and outputs (credentials, status lists, delivery events) as one task's state; the rules
 * they apply are already plain classes ({@link StatusRules}, {@link DeliveryEvents},
 * {@link PartitionStatusLists}, {@link CredentialIssuer}). Moving each processor to a file of its own
 * would need that state passed as a context object; worth doing when a third processor arrives.
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

    private static final Logger LOG = LoggerFactory.getLogger(IssuerTopology.class);
    private static final Serde<Framework> FRAMEWORK_SERDE = Topics.FRAMEWORKS.valueSerde();
    private static final Deserializer<LevelDecision> ACHIEVEMENT_READER = Topics.ACHIEVEMENTS.valueSerde().deserializer();
    private static final Serializer<LevelDecision> ACHIEVEMENT_WRITER = Topics.ACHIEVEMENTS.valueSerde().serializer();

    private final CredentialIssuer issuer;
    private final StatusLists statusLists;
    private final Supplier<RandomGenerator> randomness;
    private final IssuerMetrics metrics = new IssuerMetrics();
    /**
     * Frameworks as parsed from the global store's bytes, by id, shared by every task: the same bytes
     * give every task the same {@link Framework} object, which {@link io.credpipe.issuer.credential.CredentialAssembler} recognises
     * by identity instead of comparing two equal frameworks field by field for every credential.
     */
    private final Map<String, ParsedFramework> parsedFrameworks = new ConcurrentHashMap<>();

    /** A topology allocating status indexes with {@link SecureRandom}. */
    public IssuerTopology(CredentialIssuer issuer, StatusLists statusLists) {
        this(issuer, statusLists, SecureRandom::new);
    }

    IssuerTopology(CredentialIssuer issuer, StatusLists statusLists, Supplier<RandomGenerator> randomness) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.statusLists = Objects.requireNonNull(statusLists, "statusLists");
        this.randomness = Objects.requireNonNull(randomness, "randomness");
    }

    /** The topology; each call builds a new one sharing this instance's counters. */
    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        // Kept as the records' bytes: a task parses a framework again only when its bytes change,
        // not for every credential (see AchievementProcessor#framework).
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
        KStream<String, Output> fromAchievements = builder
                .stream(Topics.ACHIEVEMENTS.name(), Consumed.with(Topics.ACHIEVEMENTS.keySerde(), Serdes.ByteArray()))
                .process(AchievementProcessor::new, taskStores);
        KStream<String, Output> fromCommands = builder
                .stream(Topics.CREDENTIAL_COMMANDS.name(), Topics.CREDENTIAL_COMMANDS.consumed())
                .process(CommandProcessor::new, taskStores);
        KStream<String, Output> output = fromAchievements.merge(fromCommands);
        output.filter((key, value) -> value.credential() != null)
                .mapValues(Output::credential)
                .to(Topics.CREDENTIALS.name(), Topics.CREDENTIALS.produced());
        output.filter((key, value) -> value.status() != null)
                .mapValues(Output::status)
                .to(Topics.CREDENTIAL_STATUS.name(), Topics.CREDENTIAL_STATUS.produced());
        output.filter((key, value) -> value.delivery() != null)
                .mapValues(Output::delivery)
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

    /** A framework and the record bytes it was parsed from. */
    private record ParsedFramework(byte[] bytes, Framework framework) {}

    /** What a processor writes: a credential, a status list or a delivery event, one per record. */
    private record Output(IssuedCredential credential, StatusListState status, DeliveryEvent delivery) {

        static Output of(IssuedCredential credential) {
            return new Output(credential, null, null);
        }

        static Output of(StatusListState status) {
            return new Output(null, status, null);
        }

        static Output of(DeliveryEvent delivery) {
            return new Output(null, null, delivery);
        }
    }

    /** The stores both processors of a task share, and the task's status lists over them. */
    private abstract class TaskProcessor<V> implements Processor<String, V, String, Output> {

        ProcessorContext<String, Output> context;
        KeyValueStore<String, IssuedEntry> issued;
        KeyValueStore<String, byte[]> achievementRecords;
        KeyValueStore<String, LevelDecision> awaiting;
        PartitionStatusLists partitionLists;
        private KeyValueStore<String, ValueAndTimestamp<byte[]>> frameworks;

        @Override
        public void init(ProcessorContext<String, Output> context) {
            this.context = context;
            this.issued = context.getStateStore(ISSUED_STORE);
            this.achievementRecords = context.getStateStore(ACHIEVEMENT_RECORDS_STORE);
            this.awaiting = context.getStateStore(AWAITING_FRAMEWORK_STORE);
            this.frameworks = context.getStateStore(FRAMEWORKS_STORE);
            KeyValueStore<String, StatusListState> lists = context.getStateStore(STATUS_LISTS_STORE);
            KeyValueStore<String, byte[]> allocations = context.getStateStore(STATUS_ALLOCATIONS_STORE);
            // Kafka Streams initialises the same processor again when it revives a task whose stores it
            // restored: a new PartitionStatusLists forgets what may belong to an aborted transaction.
            this.partitionLists = new PartitionStatusLists(context.taskId().partition(), new StatusListStore() {
                @Override
                public StatusListState list(String listId) {
                    return lists.get(listId);
                }

                @Override
                public void putList(StatusListState list) {
                    lists.put(list.listId(), list);
                }

                @Override
                public byte[] allocation(String listId) {
                    return allocations.get(listId);
                }

                @Override
                public void putAllocation(String listId, byte[] allocation) {
                    allocations.put(listId, allocation);
                }
            }, randomness.get(), issuer.clock());
        }

        /** Takes a status index for a new credential, publishing the list it opens, if any. */
        StatusLists.Position allocate(long timestamp) {
            PartitionStatusLists.Allocation allocation = partitionLists.allocate();
            allocation.created().ifPresent(created ->
                    context.forward(new Record<>(created.listId(), Output.of(created), timestamp)));
            return allocation.position();
        }

        /**
         * Applies {@code action} to credential {@code credentialId}: on a two-bit {@code message} list
         * as before, else by {@link StatusRules}; a reinstatement issues the achievement afresh.
         */
        void apply(String credentialId, IssuedEntry entry, StatusAction action, long timestamp, String why) {
            if (partitionLists.isMessageList(entry.listId())) {
                Optional<StatusListState> changed = partitionLists.change(credentialId, entry.position(), action, why);
                publish(changed, timestamp);
                if (changed.isPresent()) {
                    deliver(DeliveryEvents.changed(credentialId, entry, action, why, issuer.clock().instant()), timestamp);
                }
                return;
            }
            StatusRules.Change change = action == null
                    ? StatusRules.levelLost(entry, why)
                    : StatusRules.command(entry, action, why);
            if (change instanceof StatusRules.Revoke revoke) {
                issued.put(credentialId, revoke.entry());
                publish(partitionLists.revoke(credentialId, entry.position(), why), timestamp);
                deliver(DeliveryEvents.revoked(credentialId, entry, revoke.entry().suspended(), why,
                        issuer.clock().instant()), timestamp);
            } else if (change instanceof StatusRules.Record record) {
                issued.put(credentialId, record.entry());
                // Suspended before, revoked for good now: the holder's status in words changes.
                deliver(DeliveryEvents.revoked(credentialId, entry, false, why, issuer.clock().instant()), timestamp);
                LOG.info("credential {} stays revoked, now for good: {}", credentialId, why);
            } else if (change instanceof StatusRules.Reissue reissue) {
                reinstate(credentialId, entry, reissue.reissue(), timestamp, why);
            } else if (change instanceof StatusRules.None none) {
                LOG.info("{} of credential {} changes nothing ({}); {}", action == null ? "losing the level" : action.id(),
                        credentialId, none.why(), why);
            }
        }

        private void publish(Optional<StatusListState> changed, long timestamp) {
            changed.ifPresent(list -> {
                context.forward(new Record<>(list.listId(), Output.of(list), timestamp));
                metrics.statusChanged();
            });
        }

        /** Writes {@code event} to {@code deliveries}, keyed by its operator. */
        void deliver(DeliveryEvent event, long timestamp) {
            context.forward(new Record<>(event.operatorId(), Output.of(event), timestamp));
        }

        /** Issues the suspended credential's achievement afresh, as reissue {@code reissue}. */
        private void reinstate(String credentialId, IssuedEntry entry, int reissue, long timestamp, String why) {
            byte[] record = achievementRecords.get(credentialId);
            LevelAchieved achievement = record != null
                    ? (LevelAchieved) ACHIEVEMENT_READER.deserialize(Topics.ACHIEVEMENTS.name(), record)
                    : entry.achievement();
            if (achievement == null) {
                LOG.error("cannot reinstate credential {}: its achievement's record is missing from this task", credentialId);
                return;
            }
            if (record == null) {
                record = ACHIEVEMENT_WRITER.serialize(Topics.ACHIEVEMENTS.name(), achievement);
            }
            Framework framework = framework(achievement);
            if (framework == null) {
                LOG.error("cannot reinstate credential {}: framework {} is missing from this issuer", credentialId,
                        achievement.framework());
                return;
            }
            IssuedCredential credential = issue(achievement, record, framework, reissue, timestamp);
            issued.put(credentialId, entry.reissuedAs(credential.credentialId()));
            deliver(DeliveryEvents.reinstated(credential, credentialId), timestamp);
            metrics.statusChanged();
            LOG.info("credential {} reinstated as credential {} ({})", credentialId, credential.credentialId(), why);
        }

        /**
         * Signs reissue {@code reissue} of {@code achievement}'s credential with a new status entry;
         * {@code record} is the achievement's {@code achievements} record, kept for a reinstatement.
         */
        IssuedCredential issue(LevelAchieved achievement, byte[] record, Framework framework, int reissue, long timestamp) {
            StatusLists.Position position = allocate(timestamp);
            IssuedCredential credential = issuer.issue(achievement, framework,
                    statusLists.entry(position.listId(), position.index()), reissue);
            issued.put(credential.credentialId(), IssuedEntry.issued(achievement, position, reissue));
            achievementRecords.put(credential.credentialId(), record);
            context.forward(new Record<>(credential.credentialId(), Output.of(credential), timestamp));
            if (reissue == 0) {
                deliver(DeliveryEvents.issued(credential), timestamp);
            }
            metrics.issued();
            return credential;
        }

        /**
         * The achievement's framework as the global store holds it now, parsed again only when its
         * bytes differ from the last ones parsed: a framework is ~20 KB of JSON, read for every credential.
         */
        Framework framework(LevelAchieved achievement) {
            String id = achievement.framework().toString();
            ValueAndTimestamp<byte[]> stored = frameworks.get(id);
            if (stored == null || stored.value() == null) {
                return null;
            }
            ParsedFramework parsed = parsedFrameworks.get(id);
            if (parsed == null || !Arrays.equals(parsed.bytes(), stored.value())) {
                parsed = new ParsedFramework(stored.value(),
                        FRAMEWORK_SERDE.deserializer().deserialize(Topics.FRAMEWORKS.name(), stored.value()));
                parsedFrameworks.put(id, parsed);
            }
            return parsed.framework();
        }
    }

    /** Issues and revokes credentials for one task's partition of {@code achievements}. */
    private final class AchievementProcessor extends TaskProcessor<byte[]> {

        @Override
        public void init(ProcessorContext<String, Output> context) {
            super.init(context);
            context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> retryAwaiting());
            context.schedule(EXPIRY_SCAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> announceExpiries());
        }

        /** Announces, once each, the task's current credentials that lapse within the notice period. */
        private void announceExpiries() {
            Instant now = issuer.clock().instant();
            List<KeyValue<String, IssuedEntry>> due = new ArrayList<>();
            List<DeliveryEvent> events = new ArrayList<>();
            try (KeyValueIterator<String, IssuedEntry> all = issued.all()) {
                all.forEachRemaining(entry -> DeliveryEvents.expiring(entry.key, entry.value, now).ifPresent(event -> {
                    due.add(entry);
                    events.add(event);
                }));
            }
            for (int i = 0; i < due.size(); i++) {
                issued.put(due.get(i).key, due.get(i).value.withExpiryNoticed());
                deliver(events.get(i), context.currentSystemTimeMs());
            }
        }

        @Override
        public void process(Record<String, byte[]> record) {
            LevelDecision decision = ACHIEVEMENT_READER.deserialize(Topics.ACHIEVEMENTS.name(), record.value());
            if (decision instanceof LevelAchieved achievement) {
                achieve(achievement, record.value(), record.timestamp());
            } else if (decision instanceof LevelLost lost) {
                lose(lost, record.timestamp());
            } else {
                LOG.warn("achievements record with key {} at offset {} has no value; nothing to issue",
                        record.key(), context.recordMetadata().map(m -> m.offset()).orElse(-1L));
            }
        }

        private void lose(LevelLost lost, long timestamp) {
            metrics.levelLost();
            if (lost.reason() == LossReason.EXPIRED) {
                // DESIGN.md "Decision rule": expiry is not a revocation. The level was lost when the
                // earliest evidence it relied on expired, which is the credential's validUntil: it has
                // lapsed on its own, and verifiers say "expired", not "revoked".
                LOG.info("operator {} lost level {} of {} (achievement {}) by expiry; its credential lapsed at its validUntil",
                        lost.operator().id(), lost.level().id(), lost.framework(), lost.sequence());
                return;
            }
            revokeAchievement(lost, lost.sequence(), timestamp);
            // Earlier achievements a renewal superseded still hold until their own validUntil: the
            // level is lost, so they go too.
            for (int sequence = lost.sequence() - 1; sequence >= 1; sequence--) {
                String id = issuer.salts().credentialId(lost.operator().id(), lost.framework(), lost.level(), sequence).toString();
                IssuedEntry superseded = issued.get(id);
                if (superseded != null && superseded.reissuedAs() == null && !superseded.revoked() && superseded.achievementRecorded()
                        && superseded.validUntil() != null && superseded.validUntil().isAfter(lost.lostAt())) {
                    apply(id, superseded, null, timestamp, "level " + lost.level().id() + " of " + lost.framework()
                            + " lost: " + lost.reason().id() + " (achievement " + sequence + " was superseded by a renewal)");
                }
            }
        }

        private void revokeAchievement(LevelLost lost, int sequence, long timestamp) {
            String credentialId = issuer.salts().credentialId(lost.operator().id(), lost.framework(), lost.level(),
                    sequence).toString();
            String legacyId = CredentialId.of(lost.operator().id(), lost.framework(), lost.level(), sequence).toString();
            if (issued.get(credentialId) == null && awaiting.get(credentialId) == null
                    && (issued.get(legacyId) != null || awaiting.get(legacyId) != null)) {
                // Issued before ids were derived with the secret: it keeps its old id.
                credentialId = legacyId;
            }
            IssuedEntry entry = issued.get(credentialId);
            // A reinstated credential was replaced by a reissue: the level lost is the reissue's.
            while (entry != null && entry.reissuedAs() != null) {
                credentialId = entry.reissuedAs();
                entry = issued.get(credentialId);
            }
            if (entry != null) {
                apply(credentialId, entry, null, timestamp, "level " + lost.level().id() + " of "
                        + lost.framework() + " lost: " + lost.reason().id());
            } else if (awaiting.get(credentialId) != null) {
                awaiting.delete(credentialId);
                LOG.info("credential {} waited for its framework and is now not issued: operator {} lost level {} of {}",
                        credentialId, lost.operator().id(), lost.level().id(), lost.framework());
            } else {
                LOG.warn("operator {} lost level {} of {} (achievement {}), but credential {} was never issued",
                        lost.operator().id(), lost.level().id(), lost.framework(), lost.sequence(), credentialId);
            }
        }

        /** Issues {@code achievement}, whose {@code achievements} record is {@code record}, unless it was issued. */
        private void achieve(LevelAchieved achievement, byte[] record, long timestamp) {
            String credentialId = issuer.credentialId(achievement).toString();
            // A data directory from before secret-derived ids knows a replayed achievement by its old id.
            if (issued.get(credentialId) != null || issued.get(CredentialIssuer.legacyCredentialId(achievement).toString()) != null) {
                metrics.replayIgnored();
                LOG.debug("credential {} was already issued; replay ignored", credentialId);
                return;
            }
            Framework framework = framework(achievement);
            if (framework == null) {
                if (awaiting.get(credentialId) != null) {
                    LOG.debug("credential {} still waits for framework {}", credentialId, achievement.framework());
                    return;
                }
                awaiting.put(credentialId, achievement);
                metrics.awaitingFramework();
                LOG.warn("credential {} (operator {}, level {} of {}, achievement {}) waits for framework {}, which"
                                + " this issuer has not received; it is issued when the framework is published",
                        credentialId, achievement.operator().id(), achievement.level().id(), achievement.framework(),
                        achievement.sequence(), achievement.framework());
                return;
            }
            IssuedCredential credential = issue(achievement, record, framework, 0, timestamp);
            if (awaiting.get(credentialId) != null) {
                awaiting.delete(credentialId);
            }
            LOG.info("issued credential {} to operator {} for level {} of {} (achievement {})",
                    credentialId, achievement.operator().id(), achievement.level().id(), achievement.framework(),
                    achievement.sequence());
        }

        private void retryAwaiting() {
            List<KeyValue<String, LevelDecision>> ready = new ArrayList<>();
            try (KeyValueIterator<String, LevelDecision> all = awaiting.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value instanceof LevelAchieved achievement && framework(achievement) != null) {
                        ready.add(entry);
                    }
                });
            }
            for (KeyValue<String, LevelDecision> entry : ready) {
                awaiting.delete(entry.key);
                achieve((LevelAchieved) entry.value,
                        ACHIEVEMENT_WRITER.serialize(Topics.ACHIEVEMENTS.name(), entry.value),
                        context.currentSystemTimeMs());
            }
        }
    }

    /** Applies manual status commands for one task's partition. */
    private final class CommandProcessor extends TaskProcessor<CredentialStatusCommand> {

        @Override
        public void process(Record<String, CredentialStatusCommand> record) {
            CredentialStatusCommand command = record.value();
            if (command == null) {
                return;
            }
            IssuedEntry entry = issued.get(command.credentialId());
            if (entry == null || !entry.operatorId().equals(record.key())) {
                LOG.warn("status command {} names credential {}, which operator {} does not hold here; ignored",
                        command.commandId(), command.credentialId(), record.key());
                return;
            }
            apply(command.credentialId(), entry, command.action(), record.timestamp(),
                    "command " + command.commandId() + " by " + command.requestedBy() + ": " + command.reason());
        }
    }
}
