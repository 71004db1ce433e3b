package io.credpipe.evaluator;

import io.credpipe.evaluator.http.ProgressEndpoint;
import io.credpipe.evaluator.http.ProgressQueries;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgressReport;
import io.credpipe.evaluator.stream.EvaluatorMetrics;
import io.credpipe.evaluator.stream.EvaluatorStoreOptions;
import io.credpipe.evaluator.stream.EvaluatorTopology;
import io.credpipe.evaluator.stream.ProgressStoreQueries;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.event.OperatorRegistry;
import io.credpipe.topics.follow.OperatorsOnRecord;
import io.credpipe.topics.streams.GlobalStateAfterCrash;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator as a running Kafka Streams application: reads {@code assessments} and
 * {@code frameworks}, writes {@code achievements} and {@code assessments-rejected}, exactly once.
 * It wires the parts: the decision rule ({@code rule}), its topology ({@code stream}) and the
 * progress route ({@code http}), which reads the stores through a {@link ProgressQueries} given here.
 */
public final class EvaluatorService implements AutoCloseable {

    /** The application id the app runs the evaluator under. */
    public static final String DEFAULT_APPLICATION_ID = "credpipe-evaluator";

    /**
     * How often the evaluator commits its transaction. A decision is readable downstream
     * ({@code read_committed}) only once its transaction commits, so this interval is most of the
     * evaluator's share of the latency from an event's 202 to its credential; half of the
     * exactly-once default (100 ms). Measured in {@code bench/results/end-to-end.md}: with both
     * stages at 50 ms instead of 100 ms and 1 s, the stages' own CPU per event at full load stayed
     * the same and the broker's rose by about a quarter (more transactions), for a ninth of the latency.
     */
    public static final Duration COMMIT_INTERVAL = Duration.ofMillis(50);

    /**
     * How long the stream thread waits in {@code poll} when nothing arrives. Kafka Streams commits
     * only between polls, so an idle thread holding processed records would commit them up to this
     * much after the commit interval: at a steady trickle of events, the default 100 ms would add up
     * to 100 ms to every decision. An empty poll costs microseconds.
     */
    public static final Duration POLL = Duration.ofMillis(10);

    /** Bounds shutdown; a clean close of a small task set takes well under this. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);

    private final EvaluatorConfig config;
    private final EvaluatorMetrics metrics;
    private KafkaStreams streams;
    private GlobalStateAfterCrash globalState;
    /** Which operators the pipeline has heard of; followed while the client runs. */
    private OperatorsOnRecord operators;

    /** An evaluator counting into a private {@link SimpleMeterRegistry}. */
    public EvaluatorService(EvaluatorConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /**
     * An evaluator registering its meters ({@link EvaluatorMetrics}) in {@code meters}.
     *
     * @param config how to run
     * @param meters the registry the app exposes, e.g. on {@code /metrics}
     */
    public EvaluatorService(EvaluatorConfig config, MeterRegistry meters) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new EvaluatorMetrics(meters);
    }

    /** The topology, e.g. for {@code TopologyTestDriver}; see {@link EvaluatorTopology}. */
    public static Topology topology(Clock clock, Duration maxClockSkew, LevelPolicies policies) {
        return EvaluatorTopology.build(clock, maxClockSkew, policies);
    }

    /** The topology this service runs. */
    public Topology topology() {
        return EvaluatorTopology.build(config.clock(), config.maxClockSkew(), config.policies(), metrics);
    }

    /** The Kafka Streams properties this service runs with. */
    public Properties streamsProperties() {
        Properties props = config.kafka().properties(Map.of());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis());
        props.put(StreamsConfig.POLL_MS_CONFIG, POLL.toMillis());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, EvaluatorStoreOptions.class);
        // The global thread (frameworks) fails the same way as the stream threads; the default from Kafka 5.0.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // The partition assignor builds a StreamsConfig of its own from the main consumer's config,
        // which the flag reaches only under that prefix; without it every start warned the flag was off.
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        props.putAll(config.streamsOverrides());
        return props;
    }

    /** Starts processing; returns once the client is started (it then joins its group in the background). */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("the evaluator is already started");
        }
        KafkaStreams started = new KafkaStreams(topology(), streamsProperties());
        started.setUncaughtExceptionHandler(e -> {
            // A failure here is a defect or a broken cluster; replacing the thread would fail the same way.
            LOG.error("evaluator stream thread failed; shutting the evaluator down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        // Its global store (frameworks) would keep a killed evaluator from ever starting again.
        globalState = new GlobalStateAfterCrash(config.stateDir(), config.applicationId());
        globalState.beforeStart();
        started.start();
        streams = started;
        operators = new OperatorsOnRecord(config.kafka(), config.applicationId() + "-operators").start();
        LOG.info("evaluator started as {}", config.applicationId());
    }

    /** Whether the client is running or rebalancing (not yet started, stopped or failed: false). */
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /**
     * Adds the progress route ({@link ProgressEndpoint}).
     *
     * @param http the server to add it to
     * @param authenticator who may ask: any known API key
     */
    public void addRoutes(Javalin http, Authenticator authenticator) {
        new ProgressEndpoint(progressQueries(), authenticator, this::lookupOperator).addRoutes(http);
    }

    /** This service's progress, read from its state stores by interactive queries. */
    public ProgressQueries progressQueries() {
        Optional<String> self = Optional.ofNullable(streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .map(String::valueOf);
        ProgressStoreQueries stores = new ProgressStoreQueries(this::streams, self, config.policies());
        return new ProgressQueries() {
            @Override
            public Optional<String> remoteOwner(String operatorId) {
                return stores.remoteOwner(operatorId);
            }

            @Override
            public Optional<String> selfAddress() {
                return self;
            }

            @Override
            public OperatorProgressReport report(String operatorId) {
                return stores.report(operatorId);
            }
        };
    }

    /**
     * Whether the started client has died (its stream thread failed and the client shut down, or is
     * shutting down, on its own): it will not recover without a restart. False before start and after
     * {@link #close}.
     */
    public synchronized boolean hasFailed() {
        if (streams == null) {
            return false;
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING;
    }

    private OperatorRegistry.Standing lookupOperator(String operatorId) {
        OperatorsOnRecord registry;
        synchronized (this) {
            registry = operators;
        }
        return registry == null ? OperatorRegistry.Standing.NOT_READY : registry.lookup(operatorId);
    }

    /** The running client, for interactive queries; {@code null} when not started. */
    synchronized KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops processing, leaving the consumer group so that a restart (or another instance) takes the
     * partitions over at once instead of after the session timeout.
     */
    @Override
    public synchronized void close() {
        if (operators != null) {
            operators.close();
            operators = null;
        }
        if (streams == null) {
            return;
        }
        boolean clean = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        if (!clean) {
            LOG.warn("evaluator did not stop within {}", CLOSE_TIMEOUT);
        } else {
            globalState.closedCleanly();
        }
        streams = null;
    }
}
