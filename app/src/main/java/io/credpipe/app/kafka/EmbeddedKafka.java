package io.credpipe.app.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running in this JVM: the
 * embedded default of {@code credpipe run} and {@code credpipe demo}. It is Kafka's own server,
 * not a mock: its data lives in {@code dataDir} and survives restarts.
 *
 * <p>Both listeners bind to 127.0.0.1 on free ports chosen at the first start (these machines are
 * shared; a fixed port could reach someone else's broker) and kept in the data directory, so that a
 * restart binds the same ones again: {@link ListenerPorts} says why that matters. The single voter is
 * configured statically, so a restart on different ports, when one was taken, still finds its own
 * metadata log.
 *
 * <p>A broker that hits a fatal fault while running (every log directory failed, e.g. a full or
 * read-only disk) asks Kafka to halt the JVM; that request is turned into {@link #failure()}, so
 * that liveness can say so and an orchestrator restart the process, instead of a broker that
 * answers on its port but can no longer write.
 *
 * <p>{@link #startCluster} starts several brokers in this JVM instead (the first also the
 * controller), replicated as a production cluster is: replication factor 3 and
 * {@code min.insync.replicas} 2 for every topic, internal ones included. {@code credpipe bench
 * end-to-end --brokers 3} measures what replication costs with it; it is built on the same
 * {@link KafkaRaftServer} as the single node, not on the test kit (KAFKA.md).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration HANGING_SCAN_PERIOD = Duration.ofSeconds(5);
    /**
     * Longer than Kafka Streams' exactly-once {@code transaction.timeout.ms} (10 s), after which its
     * coordinator aborts a live transaction itself; short enough that a restarted pipeline decides
     * again within seconds.
     */
    private static final Duration HANGING_MIN_AGE = Duration.ofSeconds(15);

    private final List<KafkaRaftServer> servers;
    private final String bootstrapServers;
    private final Path dataDir;
    private final AtomicReference<String> failure;
    private final Optional<HangingTransactions> hangingTransactions;

    private EmbeddedKafka(List<KafkaRaftServer> servers, String bootstrapServers, Path dataDir, AtomicReference<String> failure) {
        this.servers = servers;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.failure = failure;
        // Only a single broker, the mode a kill -9 restarts; the embedded cluster of several brokers
        // serves the benchmarks, which stop it cleanly and whose CPU figures a watcher would blur.
        this.hangingTransactions = servers.size() == 1
                ? Optional.of(HangingTransactions.watch(bootstrapServers, HANGING_SCAN_PERIOD, HANGING_MIN_AGE))
                : Optional.empty();
    }

    /**
     * Formats {@code dataDir} if it holds no broker yet, then starts the broker and waits until it
     * serves requests.
     *
     * @param dataDir where the log and metadata live, e.g. {@code ./data/kafka}
     * @throws EmbeddedKafkaException when the broker cannot start; nothing is left running
     */
    public static EmbeddedKafka start(Path dataDir) {
        return startCluster(dataDir, 1);
    }

    /**
     * Formats and starts {@code brokers} nodes in this JVM, node {@code n}'s data in
     * {@code dataDir/node-n} (or in {@code dataDir} itself for a single node), and waits until every
     * broker has joined. With three or more, every topic is created with three replicas and
     * {@code min.insync.replicas} 2, so an {@code acks=all} write waits for two of them.
     *
     * @param dataDir where the nodes' logs and metadata live; for a cluster, a fresh directory
     * @param brokers how many brokers, 1 or more
     * @throws EmbeddedKafkaException when a node cannot start; nothing is left running
     */
    public static EmbeddedKafka startCluster(Path dataDir, int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker: " + brokers);
        }
        // Kafka exits the JVM on fatal errors; an embedded broker must fail like a library instead.
        Path root = dataDir.toAbsolutePath().normalize();
        AtomicReference<String> failure = new AtomicReference<>();
        Exit.setExitProcedure((code, message) -> {
            throw failed(failure, root, "Kafka broker stopped with status " + code + (message == null ? "" : ": " + message));
        });
        Exit.setHaltProcedure((code, message) -> {
            throw failed(failure, root, "Kafka broker halted with status " + code + (message == null ? "" : ": " + message));
        });
        ListenerPorts ports = ListenerPorts.keep(root, brokers,
                why -> log.warn("embedded Kafka listens on new ports: {}; a transaction left open by a killed process may not be completed", why));
        int controllerPort = ports.controller();
        String clusterId = Uuid.randomUuid().toString();
        List<KafkaRaftServer> started = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int node = NODE_ID; node < NODE_ID + brokers; node++) {
            Path logDir = brokers == 1 ? root : root.resolve("node-" + node);
            int brokerPort = ports.broker(node - NODE_ID + 1);
            Properties properties = properties(node, logDir, brokerPort, controllerPort, brokers);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            formatIfNew(node, logDir, clusterId);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            started.add(server);
            try {
                server.startup();
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    stopQuietly(started.get(i));
                }
                throw new EmbeddedKafkaException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
            }
            addresses.add("127.0.0.1:" + brokerPort);
        }
        String bootstrap = String.join(",", addresses);
        EmbeddedKafka kafka = new EmbeddedKafka(List.copyOf(started), bootstrap, root, failure);
        if (brokers > 1) {
            kafka.awaitBrokers(brokers);
        }
        if (brokers == 1) {
            // Operators and the fault tests read the broker's address from this line.
            log.info("embedded Kafka broker ready at {} with data in {}", bootstrap, root);
        } else {
            log.info("embedded Kafka cluster of {} brokers ready at {} with data in {}", brokers, bootstrap, root);
        }
        return kafka;
    }

    /** Waits until {@code brokers} brokers have registered: topics with three replicas need them all. */
    private void awaitBrokers(int brokers) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size() < brokers) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedKafkaException("the embedded cluster's " + brokers + " brokers did not all join within 2 minutes");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new EmbeddedKafkaException("interrupted while the embedded cluster started", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            close();
            throw e instanceof EmbeddedKafkaException k ? k : new EmbeddedKafkaException("the embedded cluster did not start: " + e.getMessage(), e);
        }
    }

    /** Where clients connect, e.g. {@code 127.0.0.1:39211}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log and metadata directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Why the broker stopped working while running, e.g. {@code Kafka broker halted with status 1}
     * after every log directory failed; empty while it works.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * Stops the broker and waits until its threads are gone. A broker that has failed is left
     * alone: its controlled shutdown waits minutes for a log it can no longer write, and on the
     * next start it recovers its log as after {@code kill -9}.
     */
    @Override
    public void close() {
        hangingTransactions.ifPresent(HangingTransactions::close);
        if (failure.get() != null) {
            log.warn("embedded Kafka had failed ({}); not waiting for its shutdown", failure.get());
            return;
        }
        // Brokers first, the controller (the first node) last, so that the brokers can leave cleanly.
        for (int i = servers.size() - 1; i >= 0; i--) {
            stopQuietly(servers.get(i));
        }
        log.info("embedded Kafka stopped");
    }

    /** Records the first fatal fault, logs it once in one line, and returns the exception that stops Kafka's thread. */
    private static EmbeddedKafkaException failed(AtomicReference<String> failure, Path logDir, String message) {
        if (failure.compareAndSet(null, message)) {
            log.error("embedded Kafka broker failed: {}. Its data is in {}: if that disk is full or read-only, free space or "
                    + "make it writable, then restart credpipe", message, logDir);
        }
        return new EmbeddedKafkaException(message);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("embedded Kafka broker did not stop cleanly: {}", e.getMessage());
        }
    }

    private static Properties properties(int node, Path logDir, int brokerPort, int controllerPort, int brokers) {
        Properties p = new Properties();
        boolean controller = node == NODE_ID;
        p.put("process.roles", controller ? "broker,controller" : "broker");
        p.put("node.id", String.valueOf(node));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort
                + (controller ? "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort : ""));
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: internal topics must not ask for replicas that cannot exist, or consumer
        // groups and transactions (exactly_once_v2) silently never work. Three or more: what a
        // production cluster runs, so that a write acknowledged by all in-sync replicas is on two.
        String replicas = String.valueOf(Math.min(3, brokers));
        String minInSync = brokers >= 3 ? "2" : "1";
        p.put("offsets.topic.replication.factor", replicas);
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minInSync);
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's 128 MiB default buffer is most of a small heap.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static void formatIfNew(int node, Path logDir, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setNodeId(node)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new EmbeddedKafkaException("cannot format " + logDir + " for Kafka: " + e.getMessage(), e);
        }
    }
}
