package io.credpipe.issuer.stream;

import io.credpipe.topics.client.KafkaClientSettings;
import io.credpipe.model.credential.CredentialStatusCommand;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.client.PartitionReadiness;
import io.credpipe.topics.streams.GlobalStateAfterCrash;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's running Kafka side: the {@link IssuerTopology} under Kafka Streams
 * ({@code exactly_once_v2}), the producer of status commands, and the queries of the global stores
 * every instance holds, so that any instance answers for any credential, list or framework.
 *
 * <p>Every query throws {@link ProblemException} {@code credentials-unavailable} (503) while the
 * streams are not running or their stores are not queryable.
 */
public final class IssuerStreams implements AutoCloseable {

    /**
     * How often the issuer commits its transaction. A credential is readable ({@code read_committed},
     * so also by the credential store every instance materialises) only once its transaction
     * commits, so this interval is most of the issuer's share of the latency from an event's 202 to
     * its credential answering {@code GET /v1/credentials/{id}}. It was 1 s, which alone put that
     * latency's p99 over a second; each commit makes the stream thread wait for the broker (flush,
     * offsets, end of transaction) instead of signing, which at full load is the trade-off measured
     * in {@code bench/results/end-to-end.md}.
     */
    public static final Duration COMMIT_INTERVAL = Duration.ofMillis(50);

    /**
     * How long the stream thread waits in {@code poll} when nothing arrives. Kafka Streams commits
     * only between polls, so an idle thread would otherwise commit signed credentials up to the
     * default 100 ms after the commit interval is due.
     */
    static final Duration POLL = Duration.ofMillis(10);

    /**
     * The producer's linger: short, so that credentials leave in batches while the thread signs the
     * next ones, instead of all at once when the transaction commits and the thread waits for them.
     */
    static final Duration PRODUCER_LINGER = Duration.ofMillis(10);

    /**
     * The producer's batch size: as large as a batch may be and still fit the default
     * {@code max.request.size} and the brokers' default {@code message.max.bytes} (1 MiB each).
     */
    static final int PRODUCER_BATCH_BYTES = 1_000_000;

    /** How long {@link #close()} waits for Kafka Streams to finish. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IssuerStreams.class);

    private final KafkaClientSettings kafka;
    private final String applicationId;
    private final Path stateDir;
    private final IssuerTopology topology;
    private KafkaStreams streams;
    private GlobalStateAfterCrash globalState;
    private Producer<String, CredentialStatusCommand> commands;
    private final Map<String, Object> overrides;

    /**
     * @param kafka the Kafka cluster and the settings every client of it takes
     * @param applicationId the Kafka Streams application id, shared by every instance
     * @param stateDir where Kafka Streams keeps its state stores
     * @param topology what runs
     */
    public IssuerStreams(KafkaClientSettings kafka, String applicationId, Path stateDir, IssuerTopology topology) {
        this(kafka, applicationId, stateDir, topology, Map.of());
    }

    /**
     * @param kafka the Kafka cluster and the settings every client of it (Streams, the command
     *     producer, the admin client) takes
     * @param applicationId the Kafka Streams application id, shared by every instance
     * @param stateDir where Kafka Streams keeps its state stores
     * @param topology what runs
     * @param overrides further Kafka Streams properties, applied last
     */
    public IssuerStreams(KafkaClientSettings kafka, String applicationId, Path stateDir, IssuerTopology topology,
            Map<String, Object> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    /**
     * Starts the streams and the command producer, first creating {@link Topics#CREDENTIAL_COMMANDS}
     * when it is missing.
     */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("the issuer is already started");
        }
        ensureCommandTopic();
        Properties properties = kafka.properties(Map.of());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) COMMIT_INTERVAL.toMillis());
        properties.put(StreamsConfig.POLL_MS_CONFIG, POLL.toMillis());
        // A credential record is ~20 KB, beyond the default 16 KB batch: without larger batches every
        // credential would travel in a produce request of its own, and fewer, fuller requests mean
        // less work for the broker per credential.
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) PRODUCER_LINGER.toMillis());
        properties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CredentialStoreOptions.class);
        // The global thread (frameworks) fails the same way as the stream threads; the default from Kafka 5.0.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // The partition assignor builds a StreamsConfig of its own from the main consumer's config,
        // which the flag reaches only under that prefix; without it every start warned the flag was off.
        properties.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        properties.putAll(overrides);
        KafkaStreams created = new KafkaStreams(topology.build(), properties);
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("the issuer stopped on an unexpected error; no further credentials are issued until it restarts", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((now, before) -> LOG.info("issuer streams {} -> {}", before, now));
        // Its global stores (frameworks, status lists, credentials) would keep a killed issuer from ever starting again.
        globalState = new GlobalStateAfterCrash(stateDir, applicationId);
        Properties producer = kafka.properties(Map.of());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-commands");
        commands = new KafkaProducer<>(producer, Topics.CREDENTIAL_COMMANDS.keySerde().serializer(),
                Topics.CREDENTIAL_COMMANDS.valueSerde().serializer());
        globalState.beforeStart();
        created.start();
        streams = created;
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
        try (Admin admin = Admin.create(kafka.client(Map.of()))) {
            var names = admin.listTopics().names().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (names.contains(Topics.CREDENTIAL_COMMANDS.name()) || !names.contains(Topics.ACHIEVEMENTS.name())) {
                return;
            }
            TopicDescription achievements = admin.describeTopics(List.of(Topics.ACHIEVEMENTS.name()))
                    .allTopicNames().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(Topics.ACHIEVEMENTS.name());
            int partitions = achievements.partitions().size();
            short replicas = (short) achievements.partitions().get(0).replicas().size();
            admin.createTopics(List.of(Topics.CREDENTIAL_COMMANDS.newTopic(
                    Optional.of(partitions), Optional.of(replicas)))).all().get(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            PartitionReadiness.await(admin, List.of(Topics.CREDENTIAL_COMMANDS.name()), CLOSE_TIMEOUT);
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

    /** Whether the streams are running or rebalancing. */
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /**
     * Whether the streams were started and have since died (a stream thread's uncaught error shuts
     * the client down): no credential is issued until the process restarts, which is what a
     * liveness probe is for. Not started, or closed by {@link #close}, is not failed.
     */
    public synchronized boolean hasFailed() {
        if (streams == null) {
            return false;
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING;
    }

    /** Stops, leaving the consumer group so that a restart is not held up by the session timeout. */
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
        } else {
            globalState.closedCleanly();
        }
        streams = null;
    }

    /**
     * The partitions of {@code achievements} (and so the operators) whose stream tasks this
     * instance runs now; every other operator's credentials it serves from its global store only.
     */
    public Set<Integer> activePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        running().metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(Topics.ACHIEVEMENTS.name()))
                        .forEach(partition -> partitions.add(partition.partition()))));
        return partitions;
    }

    /** An issued credential. */
    public Optional<IssuedCredential> credential(String credentialId) {
        return query(IssuerTopology.CREDENTIALS_GLOBAL_STORE, "credential",
                (ReadOnlyKeyValueStore<String, byte[]> store) -> CredentialIndex.credential(store, credentialId));
    }

    /** Every credential issued to {@code operatorId}, oldest first. */
    public List<IssuedCredential> operatorCredentials(String operatorId) {
        return query(IssuerTopology.CREDENTIALS_GLOBAL_STORE, "credential",
                (ReadOnlyKeyValueStore<String, byte[]> store) -> CredentialIndex.ofOperator(store, operatorId));
    }

    /** A status list as this instance last read it from {@code credential-status}. */
    public Optional<StatusListState> statusList(String listId) {
        return query(IssuerTopology.STATUS_LISTS_GLOBAL_STORE, "status list",
                (ReadOnlyKeyValueStore<String, StatusListState> store) -> Optional.ofNullable(store.get(listId)));
    }

    /** Every status list this instance has read from {@code credential-status}, by list id. */
    public SortedMap<String, StatusListState> statusLists() {
        return query(IssuerTopology.STATUS_LISTS_GLOBAL_STORE, "status list",
                (ReadOnlyKeyValueStore<String, StatusListState> store) -> {
                    SortedMap<String, StatusListState> lists = new TreeMap<>();
                    try (var all = store.all()) {
                        all.forEachRemaining(entry -> lists.put(entry.key, entry.value));
                    }
                    return lists;
                });
    }

    /** A framework version as this instance received it from {@code frameworks}. */
    public Optional<Framework> framework(FrameworkId id) {
        return query(IssuerTopology.FRAMEWORKS_STORE, "framework",
                (ReadOnlyKeyValueStore<String, byte[]> store) -> Optional.ofNullable(store.get(id.toString()))
                        .map(bytes -> Topics.FRAMEWORKS.valueSerde().deserializer()
                                .deserialize(Topics.FRAMEWORKS.name(), bytes)));
    }

    /** Every framework version this instance received from {@code frameworks}. */
    public List<Framework> frameworks() {
        return query(IssuerTopology.FRAMEWORKS_STORE, "framework", (ReadOnlyKeyValueStore<String, byte[]> store) -> {
            List<Framework> all = new java.util.ArrayList<>();
            try (var entries = store.all()) {
                entries.forEachRemaining(entry -> all.add(Topics.FRAMEWORKS.valueSerde().deserializer()
                        .deserialize(Topics.FRAMEWORKS.name(), entry.value)));
            }
            return all;
        });
    }

    /**
     * Records a status command on {@code credential-commands}, for the task that owns the operator.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) when Kafka did not acknowledge it
     */
    public void sendCommand(CredentialStatusCommand command) {
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

    private <K, V, T> T query(String storeName, String what, Function<ReadOnlyKeyValueStore<K, V>, T> query) {
        KafkaStreams current = running();
        try {
            return query.apply(current.store(StoreQueryParameters.fromNameAndType(storeName,
                    QueryableStoreTypes.<K, V>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            throw unavailable("the " + what + " store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    private KafkaStreams running() {
        KafkaStreams current;
        synchronized (this) {
            current = streams;
        }
        if (current == null) {
            throw unavailable("the issuer is not running");
        }
        return current;
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("credentials-unavailable", "Credentials temporarily unavailable",
                503, detail));
    }
}
