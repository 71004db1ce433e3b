package io.credpipe.app.kafka;

import io.credpipe.app.net.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
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
 * <p>Both listeners bind to 127.0.0.1 on free ports chosen at each start (these machines are shared;
 * a fixed port could reach someone else's broker). The single voter is configured statically, so a
 * restart on different ports still finds its own metadata log.
 *
 * <p>A broker that hits a fatal fault while running (every log directory failed, e.g. a full or
 * read-only disk) asks Kafka to halt the JVM; that request is turned into {@link #failure()}, so
 * that liveness can say so and an orchestrator restart the process, instead of a broker that
 * answers on its port but can no longer write.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final AtomicReference<String> failure;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, AtomicReference<String> failure) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.failure = failure;
    }

    /**
     * Formats {@code dataDir} if it holds no broker yet, then starts the broker and waits until it
     * serves requests.
     *
     * @param dataDir where the log and metadata live, e.g. {@code ./data/kafka}
     * @throws EmbeddedKafkaException when the broker cannot start; nothing is left running
     */
    public static EmbeddedKafka start(Path dataDir) {
        // Kafka exits the JVM on fatal errors; an embedded broker must fail like a library instead.
        Path logDir = dataDir.toAbsolutePath().normalize();
        AtomicReference<String> failure = new AtomicReference<>();
        Exit.setExitProcedure((code, message) -> {
            throw failed(failure, logDir, "Kafka broker stopped with status " + code + (message == null ? "" : ": " + message));
        });
        Exit.setHaltProcedure((code, message) -> {
            throw failed(failure, logDir, "Kafka broker halted with status " + code + (message == null ? "" : ": " + message));
        });
        int brokerPort = FreePort.onLoopback();
        int controllerPort = FreePort.onLoopback();
        KafkaConfig config = KafkaConfig.fromProps(properties(logDir, brokerPort, controllerPort), false);
        formatIfNew(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new EmbeddedKafkaException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
        }
        String bootstrap = "127.0.0.1:" + brokerPort;
        log.info("embedded Kafka broker ready at {} with data in {}", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap, logDir, failure);
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
        if (failure.get() != null) {
            log.warn("embedded Kafka broker had failed ({}); not waiting for its shutdown", failure.get());
            return;
        }
        stopQuietly(server);
        log.info("embedded Kafka broker stopped");
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

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: internal topics must not ask for replicas that cannot exist, or consumer
        // groups and transactions (exactly_once_v2) silently never work.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's 128 MiB default buffer is most of a small heap.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static void formatIfNew(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
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
