package io.credpipe.app;

import io.credpipe.app.http.HttpServer;
import io.credpipe.app.http.HttpServer.ReadinessCheck;
import io.credpipe.app.http.MetricsEndpoint;
import io.credpipe.app.http.TrustedProxies;
import io.credpipe.app.kafka.EmbeddedBrokerAddress;
import io.credpipe.app.kafka.EmbeddedKafka;
import io.credpipe.app.kafka.GroupMembership;
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
import io.credpipe.issuer.delivery.LinkValidity;
import io.credpipe.issuer.mail.SmtpSettings;
import io.credpipe.issuer.mail.SmtpTransport;
import io.credpipe.issuer.stream.DeliveryNotifier;
import io.credpipe.issuer.delivery.OperatorProgress;
import io.credpipe.issuer.WalletService;
import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.DeliveryLog;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.topics.client.KafkaClientSettings;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one credpipe process, started in data-flow order and stopped in reverse: the
 * broker (when embedded), topics and seed frameworks, the evaluator, the issuer, ingest, and the HTTP
 * server in front of them.
 *
 * <p>Over 400 lines because start-up wires every service to the ports of the others in one place
 * (the order matters: a service's routes need the services started before it); the services
 * themselves live in their modules.
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
     * @param kafka an existing cluster and the settings every client of it takes (TLS, SASL …),
     *     or empty for the embedded broker
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
     * @param linkValidity how long operators' private links stay open; {@code null} for 30 days
     * @param smtp where operators' e-mails go; {@code null} sends none (the delivery events are still written)
     * @param instanceId a stable name of this instance on an existing cluster, making its stream threads
     *     static group members (see {@link GroupMembership}); {@code null} for dynamic membership
     * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} names the client;
     *     {@code null} for none
     */
    public record Options(
            Optional<KafkaClientSettings> kafka,
            Path dataDir,
            Optional<Integer> partitions,
            String httpHost,
            int httpPort,
            Optional<String> publicUrl,
            String issuerName,
            Optional<Path> policies,
            Set<Service> services,
            SigningAlgorithm signingAlgorithm,
            JwtType jwtType,
            LinkValidity linkValidity,
            SmtpSettings smtp,
            String instanceId,
            TrustedProxies trustedProxies) {

        /** What {@code --instance-id} accepts: it becomes part of a Kafka {@code group.instance.id}. */
        public static final java.util.regex.Pattern INSTANCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");

        public Options {
            java.util.Objects.requireNonNull(kafka, "kafka");
            if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
                throw new IllegalArgumentException("an instance id is 1 to 100 letters, digits, '.', '_' or '-': " + instanceId);
            }
            services = Set.copyOf(services);
            signingAlgorithm = signingAlgorithm == null ? SigningAlgorithm.ES256 : signingAlgorithm;
            jwtType = jwtType == null ? JwtType.JWT : jwtType;
            linkValidity = linkValidity == null ? LinkValidity.defaults() : linkValidity;
            trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
        }

        /** Options of an instance that trusts no proxy. */
        public Options(Optional<KafkaClientSettings> kafka, Path dataDir, Optional<Integer> partitions, String httpHost,
                int httpPort, Optional<String> publicUrl, String issuerName, Optional<Path> policies,
                Set<Service> services, SigningAlgorithm signingAlgorithm, JwtType jwtType, LinkValidity linkValidity,
                SmtpSettings smtp, String instanceId) {
            this(kafka, dataDir, partitions, httpHost, httpPort, publicUrl, issuerName, policies, services,
                    signingAlgorithm, jwtType, linkValidity, smtp, instanceId, null);
        }

        /** Options of an instance without a stable name (dynamic group membership on an existing cluster). */
        public Options(Optional<KafkaClientSettings> kafka, Path dataDir, Optional<Integer> partitions, String httpHost,
                int httpPort, Optional<String> publicUrl, String issuerName, Optional<Path> policies,
                Set<Service> services, SigningAlgorithm signingAlgorithm, JwtType jwtType, LinkValidity linkValidity,
                SmtpSettings smtp) {
            this(kafka, dataDir, partitions, httpHost, httpPort, publicUrl, issuerName, policies, services,
                    signingAlgorithm, jwtType, linkValidity, smtp, null);
        }

        /** Options whose operators' links stay open 30 days. */
        public Options(Optional<String> bootstrapServers, Path dataDir, Optional<Integer> partitions, String httpHost,
                int httpPort, Optional<String> publicUrl, String issuerName, Optional<Path> policies,
                Set<Service> services, SigningAlgorithm signingAlgorithm, JwtType jwtType) {
            this(bootstrapServers.map(KafkaClientSettings::plaintext), dataDir, partitions, httpHost, httpPort, publicUrl, issuerName, policies, services,
                    signingAlgorithm, jwtType, null, null);
        }

        /** Options whose issuer signs ES256 with {@code typ} {@code JWT}. */
        public Options(Optional<String> bootstrapServers, Path dataDir, Optional<Integer> partitions, String httpHost,
                int httpPort, Optional<String> publicUrl, String issuerName, Optional<Path> policies,
                Set<Service> services) {
            this(bootstrapServers.map(KafkaClientSettings::plaintext), dataDir, partitions, httpHost, httpPort, publicUrl, issuerName, policies, services,
                    null, null, null, null);
        }

        /** The bootstrap servers of an existing cluster, or empty for the embedded broker. */
        public Optional<String> bootstrapServers() {
            return kafka.map(KafkaClientSettings::bootstrapServers);
        }

        /** Every service on the embedded broker, HTTP on a free loopback port. */
        public static Options embedded(Path dataDir) {
            return new Options(Optional.empty(), dataDir, Optional.of(3), "127.0.0.1", 0, Optional.empty(),
                    "credpipe", Optional.empty(), EnumSet.allOf(Service.class));
        }
    }

    /**
     * Wallet issuance (OpenID4VCI) of the issuer: its settings and the two ports it takes from the
     * operator-links side.
     *
     * @param settings offers' lifetime, transaction code, attempts
     * @param links opens operators' private links ({@code /o/{token}}); null for the issuer's own
     * @param deliveries records offers, redemptions and wallet notifications on {@code deliveries};
     *     null for the issuer's own writer
     */
    public record Wallet(WalletSettings settings, AccessLinkResolver links, DeliveryLog deliveries) {

        /**
         * Wallet issuance on the issuer's own ports: its operator-links store opens the pages, its
         * {@code deliveries} writer records offers and redemptions.
         */
        public static Wallet of(WalletSettings settings) {
            return new Wallet(settings, null, null);
        }
    }

    private final Deque<AutoCloseable> running;
    private final KafkaClientSettings kafka;
    private final PublicUrls urls;
    private final HttpServer http;
    private final IssuerService issuer;
    private final WalletService wallet;
    private final ApiKeyStore apiKeys;

    private Pipeline(Deque<AutoCloseable> running, KafkaClientSettings kafka, PublicUrls urls, HttpServer http,
            IssuerService issuer, WalletService wallet, ApiKeyStore apiKeys) {
        this.wallet = wallet;
        this.running = running;
        this.kafka = kafka;
        this.urls = urls;
        this.http = http;
        this.issuer = issuer;
        this.apiKeys = apiKeys;
    }

    /** Starts everything {@code options} asks for; on failure stops what was started and rethrows. */
    public static Pipeline start(Options options) {
        return start(options, Wallet.of(WalletSettings.DEFAULTS));
    }

    /**
     * Starts everything {@code options} asks for, the issuer with wallet issuance as {@code wallet}
     * says; on failure stops what was started and rethrows.
     */
    public static Pipeline start(Options options, Wallet wallet) {
        return start(options, wallet, Map.of());
    }

    /**
     * Starts everything {@code options} asks for, with further Kafka Streams properties for both the
     * evaluator and the issuer, applied last (e.g. {@code commit.interval.ms}, which
     * {@code credpipe bench end-to-end --commit-interval-ms} varies to measure its trade-off).
     */
    public static Pipeline start(Options options, Wallet wallet, Map<String, Object> streamsOverrides) {
        DataDirectory.secure(options.dataDir());
        DataDirectory.requireWritable(options.dataDir(), DataDirectory.MIN_FREE_BYTES);
        if (options.services().contains(Service.ISSUER)) {
            requireIssuerKeys(options);
        }
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            KafkaClientSettings cluster;
            Optional<EmbeddedKafka> embedded = Optional.empty();
            if (options.kafka().isPresent()) {
                cluster = options.kafka().get();
            } else {
                EmbeddedKafka broker = EmbeddedKafka.start(options.dataDir().resolve("kafka"));
                embedded = Optional.of(broker);
                running.push(broker);
                cluster = KafkaClientSettings.plaintext(broker.bootstrapServers());
                running.push(EmbeddedBrokerAddress.record(options.dataDir(), cluster.bootstrapServers()));
            }
            TopicCatalogue.ensure(cluster, options.partitions());
            List<String> published = FrameworkPublisher.publishMissing(cluster, SeedFrameworks.load());
            if (!published.isEmpty()) {
                log.info("published seed frameworks {}", published);
            }

            int port = options.httpPort() == 0 ? FreePort.onLoopback() : options.httpPort();
            PublicUrls urls = new PublicUrls(PublicUrlRecord.resolve(
                    options.dataDir(), options.publicUrl(), "http://" + options.httpHost() + ":" + port));
            Path streamsDir = options.dataDir().resolve("streams");
            GroupMembership membership = membership(options);
            Map<String, Object> evaluatorOverrides = new HashMap<>(membership.streams(EVALUATOR_APPLICATION_ID));
            evaluatorOverrides.putAll(streamsOverrides);
            Map<String, Object> issuerOverrides = new HashMap<>(membership.streams(ISSUER_APPLICATION_ID));
            issuerOverrides.putAll(streamsOverrides);
            List<ReadinessCheck> readiness = new ArrayList<>();
            List<ReadinessCheck> liveness = new ArrayList<>();
            List<Consumer<Javalin>> routes = new ArrayList<>();
            MetricsEndpoint metrics = new MetricsEndpoint();
            running.push(metrics);
            routes.add(metrics::addRoutes);
            KafkaReachability kafka = new KafkaReachability(cluster);
            running.push(kafka);
            if (embedded.isPresent()) {
                // A broker whose log directories failed still answers on its port, so reachability
                // alone would call it up; it must be restarted (with space, or a writable disk).
                EmbeddedKafka broker = embedded.get();
                readiness.add(ReadinessCheck.of("kafka", () -> broker.failure().isEmpty() && kafka.reachable()));
                liveness.add(ReadinessCheck.of("kafka", () -> broker.failure().isEmpty()));
            } else {
                readiness.add(ReadinessCheck.of("kafka", kafka::reachable));
            }

            // One key store per data directory: HR sources' keys, and the admin keys of every protected route.
            ApiKeyStore apiKeys = new ApiKeyStore(options.dataDir());

            OperatorProgress progress = OperatorProgress.NONE;
            if (options.services().contains(Service.EVALUATOR)) {
                LevelPolicies policies = options.policies().isPresent()
                        ? LevelPolicies.load(options.policies().get())
                        : LevelPolicies.defaults();
                EvaluatorService evaluator = new EvaluatorService(
                        new EvaluatorConfig(cluster, EVALUATOR_APPLICATION_ID, streamsDir).withPolicies(policies)
                                .withStreamsOverrides(evaluatorOverrides),
                        metrics.registry());
                running.push(evaluator);
                evaluator.start();
                readiness.add(ReadinessCheck.of("evaluator", evaluator::isRunning));
                // A client that died stays dead (the uncaught handler shuts it down); only a restart helps.
                liveness.add(ReadinessCheck.of("evaluator", () -> !evaluator.hasFailed()));
                routes.add(javalin -> evaluator.addRoutes(javalin, apiKeys));
                progress = new ProgressLadders(evaluator.progressQueries());
            }
            IssuerService issuer = null;
            WalletService walletService = null;
            if (options.services().contains(Service.ISSUER)) {
                issuer = new IssuerService(new IssuerConfig(
                        cluster, ISSUER_APPLICATION_ID, streamsDir, options.dataDir(), urls, options.issuerName(),
                        options.signingAlgorithm(), options.jwtType(), options.linkValidity(), issuerOverrides), apiKeys,
                        metrics.registry());
                running.push(issuer);
                issuer.start();
                readiness.add(ReadinessCheck.of("issuer", issuer::isRunning));
                IssuerService started = issuer;
                // Like the evaluator's: a client that died stays dead, and only a restart helps.
                liveness.add(ReadinessCheck.of("issuer", () -> !started.hasFailed()));
                if (options.smtp() != null) {
                    DeliveryNotifier notifier = new DeliveryNotifier(cluster, ISSUER_APPLICATION_ID,
                            membership.consumer(DeliveryNotifier.groupId(ISSUER_APPLICATION_ID)), issuer.accessLinks(),
                            new SmtpTransport(options.smtp()), options.issuerName(), issuer::frameworkTitle);
                    running.push(notifier);
                    notifier.start();
                    log.info("e-mailing operators through {}", options.smtp());
                }
                IssuerService routed = issuer;
                OperatorProgress ladders = progress;
                routes.add(javalin -> routed.addRoutes(javalin, ladders));
                WalletService walletIssuance = new WalletService(issuer, wallet.settings(),
                        wallet.links() != null ? wallet.links() : issuer.accessLinkResolver(),
                        wallet.deliveries() != null ? wallet.deliveries() : issuer.deliveryLog());
                running.push(walletIssuance);
                routes.add(walletIssuance::addRoutes);
                walletService = walletIssuance;
            }
            if (options.services().contains(Service.INGEST)) {
                IngestService ingest = new IngestService(
                        new IngestConfig(cluster, Duration.ofSeconds(10), apiKeys, IngestConfig.Limits.DEFAULTS)
                                .withStages(new IngestConfig.Stages(EVALUATOR_APPLICATION_ID, ISSUER_APPLICATION_ID)),
                        metrics.registry());
                running.push(ingest);
                readiness.add(ReadinessCheck.of("ingest", ingest::ready));
                routes.add(ingest::addRoutes);
            }
            routes.add(verifyRoutes(urls)::addTo);
            HttpServer http = new HttpServer(readiness, liveness, routes, HttpServer.Limits.DEFAULT, options.trustedProxies()).start(options.httpHost(), port);
            running.push(http);
            // Return only once every service answers: ingest, for one, first reads the event ids
            // already in the pipeline and answers 503 until then.
            awaitReady(readiness, READY_TIMEOUT);
            return new Pipeline(running, cluster, urls, http, issuer, walletService, apiKeys);
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    /** How this process's consumers join their groups: embedded, or on a cluster with or without {@code --instance-id}. */
    static GroupMembership membership(Options options) {
        return new GroupMembership(options.bootstrapServers().isEmpty(), options.instanceId());
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
        return kafka.bootstrapServers();
    }

    /** The services' Kafka and the settings its clients take: for a tool that reads the same cluster. */
    public KafkaClientSettings kafka() {
        return kafka;
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

    /** The issuer's wallet issuance, when this process runs the issuer. */
    public Optional<WalletService> wallet() {
        return Optional.ofNullable(wallet);
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
