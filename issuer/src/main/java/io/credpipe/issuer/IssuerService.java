package io.credpipe.issuer;

import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
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
 * The issuer service: signs a credential for every achieved level on {@code achievements}, writes
 * it to {@code credentials}, and serves the issuer's public keys, profile and issued credentials
 * over HTTP.
 *
 * <p>Keys are loaded (or generated) when the service is constructed, so {@link #publicJwks()} and
 * the routes work before {@link #start()}. Kafka Streams runs with {@code exactly_once_v2}.
 */
public final class IssuerService implements AutoCloseable {

    /** How long {@link #close()} waits for Kafka Streams to finish. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IssuerService.class);

    private final IssuerConfig config;
    private final IssuerProfile profile;
    private final IssuerKeys keys;
    private final PublishedKeys publishedKeys;
    private final CredentialAssembler assembler;
    private final IssuerTopology topology;
    private KafkaStreams streams;

    /**
     * Loads or creates the keys under {@code config.dataDir()/keys}.
     *
     * @throws UncheckedIOException when the key directory cannot be read or written
     */
    public IssuerService(IssuerConfig config) {
        this(config, Clock.systemUTC());
    }

    IssuerService(IssuerConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        try {
            this.keys = IssuerKeys.loadOrCreate(config.keysDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the issuer keys from " + config.keysDir(), e);
        }
        this.profile = IssuerProfile.of(config.urls(), config.issuerName());
        this.publishedKeys = new PublishedKeys(keys, config.urls());
        this.assembler = new CredentialAssembler(profile, config.urls());
        CredentialIssuer issuer = new CredentialIssuer(assembler, keys.identitySalts(), publishedKeys.signer(), clock);
        this.topology = new IssuerTopology(issuer);
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
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // The global thread (frameworks) fails the same way as the stream threads; the default from Kafka 5.0.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        KafkaStreams created = new KafkaStreams(topology.build(), properties);
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("the issuer stopped on an unexpected error; no further credentials are issued until it restarts", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((now, before) -> LOG.info("issuer streams {} -> {}", before, now));
        created.start();
        streams = created;
        LOG.info("issuer {} started as {} against {}, signing with {}", profile.id(), config.applicationId(),
                config.bootstrapServers(), publishedKeys.activeKeyId());
    }

    /** Whether the streams are running or rebalancing. */
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    /** Stops issuing, leaving the consumer group so that a restart is not held up by the session timeout. */
    @Override
    public synchronized void close() {
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
     * An issued credential from this instance's stores.
     *
     * @throws ProblemException {@code credentials-unavailable} (503) while the stores are not queryable
     */
    public Optional<IssuedCredential> credential(String credentialId) {
        KafkaStreams current;
        synchronized (this) {
            current = streams;
        }
        if (current == null) {
            throw unavailable("the issuer is not running");
        }
        try {
            ReadOnlyKeyValueStore<String, IssuedCredential> store = current.store(StoreQueryParameters.fromNameAndType(
                    IssuerTopology.CREDENTIALS_STORE, QueryableStoreTypes.<String, IssuedCredential>keyValueStore()));
            return Optional.ofNullable(store.get(credentialId));
        } catch (InvalidStateStoreException e) {
            throw unavailable("the credential store is " + current.state().name().toLowerCase(Locale.ROOT)
                    + "; retry shortly");
        }
    }

    /** Adds the issuer's routes (see {@link IssuerRoutes}) to the app's server. */
    public void addRoutes(Javalin http) {
        new IssuerRoutes(assembler.profile(), publishedKeys, this::credential).addTo(http);
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("credentials-unavailable", "Credentials temporarily unavailable",
                503, detail));
    }
}
