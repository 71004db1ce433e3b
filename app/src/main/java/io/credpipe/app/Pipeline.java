package io.credpipe.app;

import io.credpipe.app.http.HttpServer;
import io.credpipe.app.http.HttpServer.ReadinessCheck;
import io.credpipe.app.http.MetricsEndpoint;
import io.credpipe.app.kafka.EmbeddedKafka;
import io.credpipe.app.kafka.FrameworkPublisher;
import io.credpipe.app.kafka.KafkaReachability;
import io.credpipe.app.kafka.TopicCatalogue;
import io.credpipe.app.net.FreePort;
import io.credpipe.evaluator.EvaluatorConfig;
import io.credpipe.evaluator.EvaluatorService;
import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.ingest.IngestConfig;
import io.credpipe.ingest.IngestService;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.IssuerService;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.http.FetchPolicy;
import io.credpipe.verifier.http.OnlineVerification;
import io.credpipe.verifier.http.VerifyRoutes;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one credpipe process, started in data-flow order and stopped in reverse: the
 * broker (when embedded), topics and seed frameworks, the evaluator, the issuer, ingest, and the HTTP
 * server in front of them.
 */
public final class Pipeline implements AutoCloseable {

    /** Application ids are consumer group ids: every instance of a service shares one. */
    public static final String EVALUATOR_APPLICATION_ID = "credpipe-evaluator";
    public static final String ISSUER_APPLICATION_ID = "credpipe-issuer";

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /** How long start-up may take until every service is ready (a cold Kafka Streams start is seconds). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    /** Which services a process runs: all of them, or one in a split deployment. */
    public enum Service { INGEST, EVALUATOR, ISSUER }

    /**
     * How to start a pipeline.
     *
     * @param bootstrapServers an existing cluster, or empty for the embedded broker
     * @param dataDir where the embedded broker, Streams state and issuer keys live
     * @param partitions partitions of topics this process creates; empty for the broker default
     * @param httpHost the interface HTTP binds to
     * @param httpPort the HTTP port; 0 picks a free one
     * @param publicUrl the URL credentials and pages are published under; empty for {@code http://host:port}
     * @param issuerName the issuer's name in credentials
     * @param policies a level-policy file for the evaluator; empty for the default policy everywhere
     * @param services which services to run
     * @param signingAlgorithm the issuer's JWS algorithm; {@code null} for ES256
     * @param jwtType the {@code typ} of the issuer's JWTs; {@code null} for {@code JWT}
     */
    public record Options(
            Optional<String> bootstrapServers,
            Path dataDir,
            Optional<Integer> partitions,
            String httpHost,
            int httpPort,
            Optional<String> publicUrl,
            String issuerName,
            Optional<Path> policies,
            Set<Service> services,
            SigningAlgorithm signingAlgorithm,
            JwtType jwtType) {

        public Options {
            services = Set.copyOf(services);
            signingAlgorithm = signingAlgorithm == null ? SigningAlgorithm.ES256 : signingAlgorithm;
            jwtType = jwtType == null ? JwtType.JWT : jwtType;
        }

        /** Options whose issuer signs ES256 with {@code typ} {@code JWT}. */
        public Options(Optional<String> bootstrapServers, Path dataDir, Optional<Integer> partitions, String httpHost,
                int httpPort, Optional<String> publicUrl, String issuerName, Optional<Path> policies,
                Set<Service> services) {
            this(bootstrapServers, dataDir, partitions, httpHost, httpPort, publicUrl, issuerName, policies, services,
                    null, null);
        }

        /** Every service on the embedded broker, HTTP on a free loopback port. */
        public static Options embedded(Path dataDir) {
            return new Options(Optional.empty(), dataDir, Optional.of(3), "127.0.0.1", 0, Optional.empty(),
                    "credpipe", Optional.empty(), EnumSet.allOf(Service.class));
        }
    }

    private final Deque<AutoCloseable> running;
    private final String bootstrapServers;
    private final PublicUrls urls;
    private final HttpServer http;
    private final IssuerService issuer;
    private final ApiKeyStore apiKeys;

    private Pipeline(Deque<AutoCloseable> running, String bootstrapServers, PublicUrls urls, HttpServer http,
            IssuerService issuer, ApiKeyStore apiKeys) {
        this.running = running;
        this.bootstrapServers = bootstrapServers;
        this.urls = urls;
        this.http = http;
        this.issuer = issuer;
        this.apiKeys = apiKeys;
    }

    /** Starts everything {@code options} asks for; on failure stops what was started and rethrows. */
    public static Pipeline start(Options options) {
        DataDirectory.secure(options.dataDir());
        if (options.services().contains(Service.ISSUER)) {
            requireIssuerKeys(options);
        }
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            String bootstrap;
            if (options.bootstrapServers().isPresent()) {
                bootstrap = options.bootstrapServers().get();
            } else {
                EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka"));
                running.push(kafka);
                bootstrap = kafka.bootstrapServers();
            }
            TopicCatalogue.ensure(bootstrap, options.partitions());
            List<String> published = FrameworkPublisher.publishMissing(bootstrap, SeedFrameworks.load());
            if (!published.isEmpty()) {
                log.info("published seed frameworks {}", published);
            }

            int port = options.httpPort() == 0 ? FreePort.onLoopback() : options.httpPort();
            PublicUrls urls = new PublicUrls(PublicUrlRecord.resolve(
                    options.dataDir(), options.publicUrl(), "http://" + options.httpHost() + ":" + port));
            Path streamsDir = options.dataDir().resolve("streams");
            List<ReadinessCheck> readiness = new ArrayList<>();
            List<ReadinessCheck> liveness = new ArrayList<>();
            List<Consumer<Javalin>> routes = new ArrayList<>();
            MetricsEndpoint metrics = new MetricsEndpoint();
            running.push(metrics);
            routes.add(metrics::addRoutes);
            KafkaReachability kafka = new KafkaReachability(bootstrap);
            running.push(kafka);
            readiness.add(ReadinessCheck.of("kafka", kafka::reachable));

            // One key store per data directory: HR sources' keys, and the admin keys of every protected route.
            ApiKeyStore apiKeys = new ApiKeyStore(options.dataDir());

            if (options.services().contains(Service.EVALUATOR)) {
                LevelPolicies policies = options.policies().isPresent()
                        ? LevelPolicies.load(options.policies().get())
                        : LevelPolicies.defaults();
                EvaluatorService evaluator = new EvaluatorService(
                        new EvaluatorConfig(bootstrap, EVALUATOR_APPLICATION_ID, streamsDir).withPolicies(policies),
                        metrics.registry());
                running.push(evaluator);
                evaluator.start();
                readiness.add(ReadinessCheck.of("evaluator", evaluator::isRunning));
                // A client that died stays dead (the uncaught handler shuts it down); only a restart helps.
                liveness.add(ReadinessCheck.of("evaluator", () -> !evaluator.hasFailed()));
                routes.add(javalin -> evaluator.addRoutes(javalin, apiKeys));
            }
            IssuerService issuer = null;
            if (options.services().contains(Service.ISSUER)) {
                issuer = new IssuerService(new IssuerConfig(
                        bootstrap, ISSUER_APPLICATION_ID, streamsDir, options.dataDir(), urls, options.issuerName(),
                        options.signingAlgorithm(), options.jwtType()), apiKeys, metrics.registry());
                running.push(issuer);
                issuer.start();
                readiness.add(ReadinessCheck.of("issuer", issuer::isRunning));
                routes.add(issuer::addRoutes);
            }
            if (options.services().contains(Service.INGEST)) {
                IngestService ingest = new IngestService(
                        new IngestConfig(bootstrap, Duration.ofSeconds(10), apiKeys, IngestConfig.Limits.DEFAULTS)
                                .withStages(new IngestConfig.Stages(EVALUATOR_APPLICATION_ID, ISSUER_APPLICATION_ID)),
                        metrics.registry());
                running.push(ingest);
                readiness.add(ReadinessCheck.of("ingest", ingest::ready));
                routes.add(ingest::addRoutes);
            }
            routes.add(verifyRoutes(urls)::addTo);
            HttpServer http = new HttpServer(readiness, liveness, routes).start(options.httpHost(), port);
            running.push(http);
            // Return only once every service answers: ingest, for one, first reads the event ids
            // already in the pipeline and answers 503 until then.
            awaitReady(readiness, READY_TIMEOUT);
            return new Pipeline(running, bootstrap, urls, http, issuer, apiKeys);
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    /**
     * Loads (or, on first start, creates) the issuer's keys and checks the active one fits the
     * signing algorithm before any broker or service starts, so that a key of the other algorithm
     * stops {@code credpipe run} at once with the rotate command to run; the issuer service checks
     * the same when it starts.
     */
    private static void requireIssuerKeys(Options options) {
        Path keysDir = IssuerConfig.keysDir(options.dataDir());
        try {
            IssuerKeys.loadOrCreate(keysDir, options.signingAlgorithm()).requireActive(options.signingAlgorithm());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the issuer keys from " + keysDir, e);
        }
    }

    /**
     * The employer-facing {@code /verify} page and {@code POST /v1/verify}. They fetch over https only,
     * except from this issuer's own public URL when that is plain http (a local run), so the
     * credentials this process issues can be checked on its own page.
     */
    private static VerifyRoutes verifyRoutes(PublicUrls urls) {
        URI base = URI.create(urls.base());
        Set<String> plainHttp = "http".equalsIgnoreCase(base.getScheme()) ? Set.of(base.getHost()) : Set.of();
        return new VerifyRoutes(new OnlineVerification(new FetchPolicy(plainHttp), CredentialVerifier.DEFAULT_HTTP_TIMEOUT));
    }

    /** Where the services' Kafka is. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The public URLs credentials are issued under. */
    public PublicUrls urls() {
        return urls;
    }

    /** Every route this process's HTTP server serves, as {@code "METHOD path"}; see {@link HttpServer#routes()}. */
    public java.util.SortedSet<String> routes() {
        return http.routes();
    }

    /** The base URL of this process's HTTP server, e.g. {@code http://127.0.0.1:8080}. */
    public String httpBase(String host) {
        return "http://" + host + ":" + http.port();
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.port();
    }

    /** The API keys of HR sources and admins ({@code credpipe sources}). */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** The issuer, when this process runs it. */
    public Optional<IssuerService> issuer() {
        return Optional.ofNullable(issuer);
    }

    @Override
    public void close() {
        closeAll(running);
    }

    private static void awaitReady(List<ReadinessCheck> checks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ReadinessCheck check : checks) {
            while (!check.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(check.name() + " did not become ready within " + timeout.toSeconds() + " s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + check.name(), e);
                }
            }
        }
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable service = running.pop();
            try {
                service.close();
            } catch (Exception e) {
                log.warn("{} did not stop cleanly: {}", service.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
