package io.credpipe.issuer;

import io.credpipe.model.credential.CredentialStatusCommand;

import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.ToLongFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import io.credpipe.topics.topic.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer service: signs a credential, with a Bitstring Status List entry, for every achieved
 * level on {@code achievements}, revokes it when the level is lost, applies administrators' status
 * commands, writes {@code credentials} and {@code credential-status}, and serves the issuer's public
 * keys, DID document, profile, credentials, signed status lists and framework pages over HTTP.
 *
 * <p>Keys are loaded (or generated) when the service is constructed, so {@link #publicJwks()} and
 * the key routes work before {@link #start()}. Kafka Streams runs with {@code exactly_once_v2}.
 * {@link #start()} creates {@link Topics#CREDENTIAL_COMMANDS} when it is missing.
 */
public final class IssuerService implements AutoCloseable {

    /**
     * How often the issuer commits its transaction. Exactly-once defaults to 100 ms, and each
     * commit makes the stream thread wait for the broker (flush, offsets, end of transaction)
     * instead of signing; a credential appearing up to a second later costs nobody anything.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    /**
     * The producer's batch size: as large as a batch may be and still fit the default
     * {@code max.request.size} and the brokers' default {@code message.max.bytes} (1 MiB each).
     */
    static final int PRODUCER_BATCH_BYTES = 1_000_000;

    /** How long {@link #close()} waits for Kafka Streams to finish. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IssuerService.class);

    private final IssuerConfig config;
    private final IssuerProfile profile;
    private final IssuerKeys keys;
    private final PublishedKeys publishedKeys;
    private final CredentialAssembler assembler;
    private final IssuerTopology topology;
    private final CredentialIssuer issuer;
    private final StatusLists statusLists;
    private final ClrAssembler clrAssembler;
    private final Authenticator authenticator;
    private final Clock clock;
    /** The last signed credential of each status list, re-signed only when the list changes. */
    private final Map<String, SignedList> signedLists = new ConcurrentHashMap<>();
    private KafkaStreams streams;
    private Producer<String, CredentialStatusCommand> commands;

    private record SignedList(StatusListState state, CredentialStatusRoutes.SignedStatusList signed) {}

    /**
     * Loads or creates the keys under {@code config.dataDir()/keys}.
     *
     * @throws UncheckedIOException when the key directory cannot be read or written
     * @throws IllegalStateException when the active key is not one for {@code config.signingAlgorithm()}
     */
    public IssuerService(IssuerConfig config) {
        this(config, apiKey -> Optional.empty());
    }

    /** As {@link #IssuerService(IssuerConfig)}, counting into {@code meters}. */
    public IssuerService(IssuerConfig config, MeterRegistry meters) {
        this(config, apiKey -> Optional.empty(), meters);
    }

    /**
     * Loads or creates the keys under {@code config.dataDir()/keys}; {@code authenticator} admits
     * administrators to the status-changing routes.
     *
     * @throws UncheckedIOException when the key directory cannot be read or written
     * @throws IllegalStateException when the active key is not one for {@code config.signingAlgorithm()}
     */
    public IssuerService(IssuerConfig config, Authenticator authenticator) {
        this(config, authenticator, new SimpleMeterRegistry());
    }

    /**
     * As {@link #IssuerService(IssuerConfig, Authenticator)}, counting into {@code meters}:
     * {@code credpipe.issuer.credentials.issued}, {@code credpipe.issuer.replays.ignored},
     * {@code credpipe.issuer.levels.lost}, {@code credpipe.issuer.awaiting.framework},
     * {@code credpipe.issuer.status.changes}.
     */
    public IssuerService(IssuerConfig config, Authenticator authenticator, MeterRegistry meters) {
        this(config, authenticator, Clock.systemUTC());
        Objects.requireNonNull(meters, "meters");
        counter(meters, "credpipe.issuer.credentials.issued", "credentials signed", IssuerCounts::issued);
        counter(meters, "credpipe.issuer.replays.ignored", "achievements already issued", IssuerCounts::replaysIgnored);
        counter(meters, "credpipe.issuer.levels.lost", "LevelLost decisions received", IssuerCounts::levelsLost);
        counter(meters, "credpipe.issuer.awaiting.framework", "achievements set aside for a missing framework",
                IssuerCounts::awaitingFramework);
        counter(meters, "credpipe.issuer.status.changes", "credential status changes", IssuerCounts::statusChanges);
    }

    private void counter(MeterRegistry meters, String name, String description, ToLongFunction<IssuerCounts> count) {
        FunctionCounter.builder(name, topology, t -> count.applyAsLong(t.counts())).description(description)
                .register(meters);
    }

    IssuerService(IssuerConfig config, Authenticator authenticator, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.keys = IssuerKeys.loadOrCreate(config.keysDir(), config.signingAlgorithm());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the issuer keys from " + config.keysDir(), e);
        }
        this.profile = IssuerProfile.of(config.urls(), config.issuerName());
        this.publishedKeys = new PublishedKeys(keys, config.urls());
        this.assembler = new CredentialAssembler(profile, config.urls());
        this.issuer = new CredentialIssuer(assembler, keys.identitySalts(),
                publishedKeys.signer(config.signingAlgorithm(), config.jwtType()), clock);
        this.statusLists = new StatusLists(config.urls());
        this.clrAssembler = new ClrAssembler(assembler.profile());
        this.topology = new IssuerTopology(issuer, statusLists);
    }

    /** A new instance of the issuer's topology, e.g. for {@code TopologyTestDriver}. */
    public Topology topology() {
        return topology.build();
    }

    /** Starts issuing. */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("the issuer is already started");
        }
        ensureCommandTopic();
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) COMMIT_INTERVAL.toMillis());
        // A credential record is ~20 KB, beyond the default 16 KB batch: without larger batches every
        // credential would travel in a produce request of its own. A batch leaves when it is full, and
        // every batch at the latest when the transaction commits, so lingering costs no latency anyone
        // sees, and fewer, fuller requests mean less work for the broker per credential.
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 100);
        properties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CredentialStoreOptions.class);
        // The global thread (frameworks) fails the same way as the stream threads; the default from Kafka 5.0.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // The partition assignor builds a StreamsConfig of its own from the main consumer's config,
        // which the flag reaches only under that prefix; without it every start warned the flag was off.
        properties.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        KafkaStreams created = new KafkaStreams(topology.build(), properties);
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("the issuer stopped on an unexpected error; no further credentials are issued until it restarts", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((now, before) -> LOG.info("issuer streams {} -> {}", before, now));
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-commands");
        commands = new KafkaProducer<>(producer, Topics.CREDENTIAL_COMMANDS.keySerde().serializer(),
                Topics.CREDENTIAL_COMMANDS.valueSerde().serializer());
        created.start();
        streams = created;
        LOG.info("issuer {} started as {} against {}, signing with {}", profile.id(), config.applicationId(),
                config.bootstrapServers(), publishedKeys.activeKeyId());
    }

    /**
     * Creates {@link Topics#CREDENTIAL_COMMANDS} when it is missing, with the partitions and
     * replication of {@code achievements}, which it must be co-partitioned with. The app's topic
     * catalogue creates it with every other topic; this covers a cluster whose topics were created
     * before it existed, where a partition count taken from an option could break the co-partitioning.
     * Nothing happens when {@code achievements} does not exist yet: Kafka Streams then reports the
     * missing source topics itself.
     */
    private void ensureCommandTopic() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            var names = admin.listTopics().names().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (names.contains(Topics.CREDENTIAL_COMMANDS.name()) || !names.contains(Topics.ACHIEVEMENTS.name())) {
                return;
            }
            TopicDescription achievements = admin.describeTopics(java.util.List.of(Topics.ACHIEVEMENTS.name()))
                    .allTopicNames().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(Topics.ACHIEVEMENTS.name());
            int partitions = achievements.partitions().size();
            short replicas = (short) achievements.partitions().get(0).replicas().size();
            admin.createTopics(java.util.List.of(Topics.CREDENTIAL_COMMANDS.newTopic(
                    Optional.of(partitions), Optional.of(replicas)))).all().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            LOG.info("created topic {} with {} partitions like {}", Topics.CREDENTIAL_COMMANDS.name(), partitions,
                    Topics.ACHIEVEMENTS.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the issuer's topics", e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topics.CREDENTIAL_COMMANDS.name(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + CLOSE_TIMEOUT
                    + " while checking the issuer's topics", e);
        }
    }

    /**
     * The partitions of {@code achievements} (and so the operators) whose stream tasks this
     * instance runs now; every other operator's credentials it serves from its global store only.
     */
    Set<Integer> activePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        runningStreams().metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(Topics.ACHIEVEMENTS.name()))
                        .forEach(partition -> partitions.add(partition.partition()))));
        return partitions;
    }

    /** Whether the streams are running or rebalancing. */
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /** Stops issuing, leaving the consumer group so that a restart is not held up by the session timeout. */
    @Override
    public synchronized void close() {
        if (commands != null) {
            commands.close(CLOSE_TIMEOUT);
            commands = null;
        }
        if (streams == null) {
            return;
        }
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
        if (!closed) {
            LOG.warn("the issuer's Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
        streams = null;
    }

    /** The public signing keys (active first), each with its URL as {@code kid}; never private parts. */
    public JWKSet publicJwks() {
        return publishedKeys.jwks();
    }

    /** The issuer's Open Badges profile. */
    public IssuerProfile issuerProfile() {
        return profile;
    }

    /** What the issuer did since it started. */
    public IssuerCounts counts() {
        return topology.counts();
    }

    /**
     * An issued credential, from the global store every instance holds, so any instance answers.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<IssuedCredential> credential(String credentialId) {
        return queryCredentials(store -> CredentialIndex.credential(store, credentialId));
    }

    /**
     * Every credential issued to {@code operatorId}, oldest first, with its current standing, from
     * the global stores every instance holds. Empty for an operator without credentials.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public List<CredentialRecord> operatorCredentials(String operatorId) {
        List<IssuedCredential> issued = queryCredentials(
                store -> CredentialIndex.ofOperator(store, operatorId));
        if (issued.isEmpty()) {
            return List.of();
        }
        return CredentialRecord.of(issued, statusLists, this::statusList);
    }

    /**
     * The signed CLR 2.0 {@code ClrCredential} of {@code operatorId}'s current credentials (see
     * {@link CredentialRecord#currentAt}); empty when there are none.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<SignedCredential> clr(String operatorId) {
        Instant now = clock.instant();
        List<ClrAssembler.Bundled> current = operatorCredentials(operatorId).stream()
                .filter(record -> record.currentAt(now))
                .map(record -> new ClrAssembler.Bundled(record.issued(), record.credential()))
                .toList();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(issuer.signer().sign(clrAssembler.assemble(current)));
    }

    private <T> T queryCredentials(Function<ReadOnlyKeyValueStore<String, byte[]>, T> query) {
        KafkaStreams current = runningStreams();
        try {
            return query.apply(current.store(StoreQueryParameters.fromNameAndType(
                    IssuerTopology.CREDENTIALS_GLOBAL_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            throw unavailable("the credential store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    /**
     * A status list as this instance last read it from {@code credential-status}: every instance
     * holds every list.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<StatusListState> statusList(String listId) {
        KafkaStreams current = runningStreams();
        try {
            ReadOnlyKeyValueStore<String, StatusListState> store = current.store(StoreQueryParameters.fromNameAndType(
                    IssuerTopology.STATUS_LISTS_GLOBAL_STORE, QueryableStoreTypes.<String, StatusListState>keyValueStore()));
            return Optional.ofNullable(store.get(listId));
        } catch (InvalidStateStoreException e) {
            throw unavailable("the status list store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    /**
     * Every status list this instance has read from {@code credential-status}, by list id.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public java.util.SortedMap<String, StatusListState> statusLists() {
        KafkaStreams current = runningStreams();
        java.util.SortedMap<String, StatusListState> lists = new java.util.TreeMap<>();
        try {
            ReadOnlyKeyValueStore<String, StatusListState> store = current.store(StoreQueryParameters.fromNameAndType(
                    IssuerTopology.STATUS_LISTS_GLOBAL_STORE, QueryableStoreTypes.<String, StatusListState>keyValueStore()));
            try (var all = store.all()) {
                all.forEachRemaining(entry -> lists.put(entry.key, entry.value));
            }
            return lists;
        } catch (InvalidStateStoreException e) {
            throw unavailable("the status list store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    /**
     * The signed {@code BitstringStatusListCredential} (compact JWS) of a list, as
     * {@code GET /v1/status/{listId}} serves it.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<String> statusListCredential(String listId) {
        return signedStatusList(listId).map(CredentialStatusRoutes.SignedStatusList::jwt);
    }

    /** The signed {@code BitstringStatusListCredential} of a list, signed again only after the list changed. */
    Optional<CredentialStatusRoutes.SignedStatusList> signedStatusList(String listId) {
        return statusList(listId).map(state -> signedLists.compute(listId, (id, cached) ->
                cached != null && cached.state().equals(state) ? cached : sign(state)).signed());
    }

    private SignedList sign(StatusListState state) {
        String jwt = issuer.signer().sign(statusLists.credential(state, profile)).jwt();
        return new SignedList(state, new CredentialStatusRoutes.SignedStatusList(jwt, "\"" + sha256(jwt) + "\""));
    }

    private void sendCommand(CredentialStatusCommand command) {
        Producer<String, CredentialStatusCommand> producer;
        synchronized (this) {
            producer = commands;
        }
        if (producer == null) {
            throw unavailable("the issuer is not running");
        }
        try {
            producer.send(new ProducerRecord<>(Topics.CREDENTIAL_COMMANDS.name(), command.operatorId(), command))
                    .get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            LOG.info("accepted status command {}: {} credential {} (by {})", command.commandId(), command.action().id(),
                    command.credentialId(), command.requestedBy());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while sending the command");
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("status command {} was not acknowledged by Kafka", command.commandId(), e);
            throw unavailable("the command could not be recorded; retry shortly");
        }
    }

    /**
     * A framework version as this instance received it from {@code frameworks}.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<io.credpipe.model.framework.Framework> framework(io.credpipe.model.framework.FrameworkId id) {
        KafkaStreams current = runningStreams();
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = current.store(
                    StoreQueryParameters.fromNameAndType(IssuerTopology.FRAMEWORKS_STORE,
                            QueryableStoreTypes.<String, byte[]>keyValueStore()));
            return Optional.ofNullable(store.get(id.toString())).map(bytes ->
                    Topics.FRAMEWORKS.valueSerde().deserializer().deserialize(Topics.FRAMEWORKS.name(), bytes));
        } catch (InvalidStateStoreException e) {
            throw unavailable("the framework store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    /**
     * Adds the issuer's routes (see {@link IssuerRoutes}, {@link CredentialStatusRoutes},
     * {@link FrameworkRoutes}, {@link OperatorRecordRoutes}) to the app's server.
     */
    public void addRoutes(Javalin http) {
        new IssuerRoutes(assembler.profile(), publishedKeys, this::credential, new DidWebDocument(config.urls())).addTo(http);
        new CredentialStatusRoutes(authenticator, this::credential, this::sendCommand, this::signedStatusList, clock)
                .addTo(http);
        new FrameworkRoutes(this::framework, new FrameworkPages(config.urls())).addTo(http);
        new OperatorRecordRoutes(authenticator, this::operatorCredentials, this::clr).addTo(http);
    }

    private KafkaStreams runningStreams() {
        KafkaStreams current;
        synchronized (this) {
            current = streams;
        }
        if (current == null) {
            throw unavailable("the issuer is not running");
        }
        return current;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("credentials-unavailable", "Credentials temporarily unavailable",
                503, detail));
    }
}
