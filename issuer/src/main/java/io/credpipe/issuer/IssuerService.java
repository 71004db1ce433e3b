package io.credpipe.issuer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.credential.ClrAssembler;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.DeliveryLog;
import io.credpipe.issuer.delivery.OperatorProgress;
import io.credpipe.issuer.http.AccessLinkRoutes;
import io.credpipe.issuer.http.CredentialStatusRoutes;
import io.credpipe.issuer.http.OperatorPageRoutes;
import io.credpipe.issuer.http.FrameworkPages;
import io.credpipe.issuer.http.FrameworkRoutes;
import io.credpipe.issuer.delivery.DidAuthentication;
import io.credpipe.issuer.delivery.LcwExchanges;
import io.credpipe.issuer.delivery.DeferredOfferLedger;
import io.credpipe.issuer.stream.KafkaOfferLedger;
import io.credpipe.issuer.http.IssuerRoutes;
import io.credpipe.issuer.http.LcwExchangeRoutes;
import io.credpipe.issuer.http.OperatorRecordRoutes;
import io.credpipe.topics.follow.OperatorsOnRecord;
import io.credpipe.issuer.http.PublicPages;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.signing.SignedCredential;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.issuer.status.Renewals;
import io.credpipe.issuer.status.SignedStatusLists;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.issuer.stream.DeliveryTopic;
import io.credpipe.issuer.stream.IssuerCounts;
import io.credpipe.issuer.stream.IssuerStreams;
import io.credpipe.issuer.stream.IssuerTopology;
import io.credpipe.issuer.stream.OperatorLinkTopic;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.issuer.delivery.GuessLimiter;
import io.credpipe.issuer.http.GuessGuard;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer service: signs a credential, with a Bitstring Status List entry, for every achieved
 * level on {@code achievements}, revokes it when the level is lost, applies administrators' status
 * commands, writes {@code credentials} and {@code credential-status}, and serves the issuer's public
 * keys, DID document, profile, credentials, signed status lists and framework pages over HTTP. It
 * writes a delivery event on {@code deliveries} for every issue, revocation, suspension,
 * reinstatement and coming expiry, and serves operators their private page through links kept
 * in {@code operator-links} ({@link AccessLinks}), which every instance follows.
 *
 * <p>It passes 400 lines because it is the one place every part of the issuer is wired and
 * started; each method is a line or two of delegation. This class only wires the parts: credential assembly ({@code credential}), keys and signing
 * ({@code signing}), status lists ({@code status}), the Kafka Streams side ({@link IssuerStreams})
 * and the routes ({@code http}), which get ports (lambdas) from here and never see Kafka.
 *
 * <p>Keys are loaded (or generated) when the service is constructed, so {@link #publishedKeys()} and
 * the key routes work before {@link #start()}. Kafka Streams runs with {@code exactly_once_v2}.
 * {@link #start()} creates {@code credential-commands} when it is missing. Every query of issued
 * credentials, lists or frameworks throws {@link ProblemException} {@code credentials-unavailable}
 * (503) while the stores are not queryable.
 */
public final class IssuerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerService.class);

    private final IssuerConfig config;
    private final IssuerProfile profile;
    private final PublishedKeys publishedKeys;
    private final CredentialAssembler assembler;
    private final IssuerTopology topology;
    private final CredentialIssuer issuer;
    private final StatusLists statusLists;
    private final ClrAssembler clrAssembler;
    private final Authenticator authenticator;
    private final Clock clock;
    /** Failed guesses of link tokens and exchange ids, per client. */
    private final GuessLimiter guesses;
    private final IssuerStreams streams;
    /** Which operators the pipeline has heard of: an empty record of an unknown one is a 404. */
    private final OperatorsOnRecord operators;
    private final SignedStatusLists signedLists;
    private final OperatorLinkTopic linkTopic;
    private final AccessLinks accessLinks;
    private volatile DeliveryTopic deliveries;
    private final IssuerKeys keys;
    private final DataIntegritySigner dataIntegritySigner;
    private final LcwExchanges lcwExchanges;
    /** This instance's reader of {@code wallet-offers} for exchanges; set by {@link #start()}. */
    private volatile KafkaOfferLedger exchangeLedger;

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
        topology.registerMeters(meters);
    }

    IssuerService(IssuerConfig config, Authenticator authenticator, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guesses = new GuessLimiter(Clock.systemUTC());
        IssuerKeys keys;
        try {
            keys = IssuerKeys.loadOrCreate(config.keysDir(), config.signingAlgorithm());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the issuer keys from " + config.keysDir(), e);
        }
        this.keys = keys;
        this.profile = IssuerProfile.of(config.urls(), config.issuerName());
        this.publishedKeys = new PublishedKeys(keys, config.urls());
        this.assembler = new CredentialAssembler(profile, config.urls());
        this.issuer = new CredentialIssuer(assembler, keys.identitySalts(),
                publishedKeys.signer(config.signingAlgorithm(), config.jwtType()), clock);
        this.statusLists = new StatusLists(config.urls());
        this.clrAssembler = new ClrAssembler(assembler.profile());
        this.topology = new IssuerTopology(issuer, statusLists);
        this.streams = new IssuerStreams(config.kafka(), config.applicationId(), config.stateDir(), topology,
                config.streamsOverrides());

        this.dataIntegritySigner = publishedKeys.dataIntegritySigner(new DidWebDocument(config.urls()).did(),
                DataIntegritySigner.suite(), clock);
        // Exchanges are offers on the shared wallet-offers log, read once the service has started.
        this.lcwExchanges = new LcwExchanges(new DeferredOfferLedger(() -> exchangeLedger),
                keys.identitySalts().derivedKey("lcw-exchange-challenges"), clock);
        this.operators = new OperatorsOnRecord(config.kafka(), "credpipe-issuer-operators");
        this.signedLists = new SignedStatusLists(this::statusList,
                state -> issuer.signer().sign(statusLists.credential(state, profile)).jwt());
        this.linkTopic = new OperatorLinkTopic(config.kafka(), config.applicationId());
        this.accessLinks = new AccessLinks(linkTopic, config.linkValidity(), new SecureRandom(), clock,
                config.urls().base());
    }

    /** How this issuer runs. */
    public IssuerConfig config() {
        return config;
    }

    /** Signs with the issuer's active key, as credentials are signed. */
    public io.credpipe.issuer.signing.CredentialSigner signer() {
        return issuer.signer();
    }

    /** A key derived from the issuer's secret for {@code purpose} alone (see {@code IdentitySalts#derivedKey}). */
    byte[] secretKey(String purpose) {
        return keys.identitySalts().derivedKey(purpose);
    }

    /** Every framework version this instance has received. */
    public List<Framework> frameworks() {
        return streams.frameworks();
    }

    /** A new instance of the issuer's topology, e.g. for {@code TopologyTestDriver}. */
    public Topology topology() {
        return topology.build();
    }

    /** Starts issuing. */
    public void start() {
        linkTopic.start();
        deliveries = new DeliveryTopic(config.kafka(), config.applicationId());
        exchangeLedger = new KafkaOfferLedger(config.kafka(), config.applicationId() + "-lcw");
        streams.start();
        operators.start();
        LOG.info("issuer {} started as {} against {}, signing with {}", profile.id(), config.applicationId(),
                config.bootstrapServers(), publishedKeys.activeKeyId());
    }

    /**
     * The partitions of {@code achievements} (and so the operators) whose stream tasks this
     * instance runs now; every other operator's credentials it serves from its global store only.
     */
    Set<Integer> activePartitions() {
        return streams.activePartitions();
    }

    /** Whether the streams are running or rebalancing. */
    public boolean isRunning() {
        return streams.isRunning() && linkTopic.caughtUp();
    }

    /**
     * Whether the issuer's Kafka Streams client died after it started: only a restart helps, so
     * {@code /health/live} reports it (like the evaluator's).
     */
    public boolean hasFailed() {
        return streams.hasFailed();
    }

    /** Stops issuing, leaving the consumer group so that a restart is not held up by the session timeout. */
    @Override
    public void close() {
        operators.close();
        streams.close();
        linkTopic.close();
        DeliveryTopic current = deliveries;
        if (current != null) {
            current.close();
        }
        KafkaOfferLedger ledger = exchangeLedger;
        if (ledger != null) {
            ledger.close();
        }
    }


    /**
     * Operators' private links: create, resolve, revoke. Links live in {@code operator-links},
     * which this instance follows once started.
     */
    public AccessLinks accessLinks() {
        return accessLinks;
    }

    /** Resolves the token of {@code /o/{token}} to its operator while the link is open. */
    public AccessLinkResolver accessLinkResolver() {
        return accessLinks;
    }

    /**
     * Records delivery events from outside the issuer's stream (wallet offers, redemptions) on
     * {@code deliveries}; throws while the service is not started.
     */
    public DeliveryLog deliveryLog() {
        return (DeliveryEvent event) -> {
            DeliveryTopic current = deliveries;
            if (current == null) {
                throw new IllegalStateException("the issuer is not started");
            }
            current.record(event);
        };
    }

    /** The public signing keys (active first), each with its URL as {@code kid}; never private parts. */
    public PublishedKeys publishedKeys() {
        return publishedKeys;
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
     */
    public Optional<IssuedCredential> credential(String credentialId) {
        return streams.credential(credentialId);
    }

    /**
     * Every credential issued to {@code operatorId}, oldest first, with its current standing, from
     * the global stores every instance holds. Empty for an operator without credentials.
     */
    public List<CredentialRecord> operatorCredentials(String operatorId) {
        List<IssuedCredential> issued = streams.operatorCredentials(operatorId);
        if (issued.isEmpty()) {
            return List.of();
        }
        return CredentialRecord.of(issued, statusLists, this::statusList);
    }

    /**
     * The signed CLR 2.0 {@code ClrCredential} of {@code operatorId}'s current credentials (see
     * {@link CredentialRecord#currentAt}), less those a renewal replaced ({@link Renewals}); empty
     * when there are none.
     */
    public Optional<SignedCredential> clr(String operatorId) {
        return clr(operatorId, false);
    }

    /**
     * As {@link #clr(String)}; with {@code dataIntegrity} each bundled credential carries its own
     * embedded eddsa-rdfc-2022 proof, made now, so that it verifies on its own when taken out of the
     * record (CLR 2.0's schema allows {@code proof} on its {@code AchievementCredential}s).
     */
    public Optional<SignedCredential> clr(String operatorId, boolean dataIntegrity) {
        Instant now = clock.instant();
        // One credential per level: a credential a renewal replaced would repeat the level, and its
        // earlier validUntil would cut the record's own short.
        List<ClrAssembler.Bundled> current = Renewals.currentUnrenewed(operatorCredentials(operatorId), now).stream()
                .map(record -> new ClrAssembler.Bundled(record.issued(),
                        dataIntegrity ? dataIntegritySigner.secure(record.credential()) : record.credential()))
                .toList();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(issuer.signer().sign(clrAssembler.assemble(current)));
    }

    /**
     * The {@code BitstringStatusListCredential} of a list with an embedded {@code eddsa-rdfc-2022}
     * proof made now, for verifiers that check status lists only as Data Integrity credentials.
     */
    public Optional<ObjectNode> dataIntegrityStatusList(String listId) {
        return statusList(listId).map(state -> dataIntegritySigner.secure(statusLists.credential(state, profile)));
    }

    /**
     * A status list as this instance last read it from {@code credential-status}: every instance
     * holds every list.
     */
    public Optional<StatusListState> statusList(String listId) {
        return streams.statusList(listId);
    }

    /**
     * Every status list this instance has read from {@code credential-status}, by list id.
     */
    public SortedMap<String, StatusListState> statusLists() {
        return streams.statusLists();
    }

    /**
     * The signed {@code BitstringStatusListCredential} (compact JWS) of a list, as
     * {@code GET /v1/status/{listId}} serves it.
     */
    public Optional<String> statusListCredential(String listId) {
        return signedLists.signed(listId).map(SignedStatusLists.Signed::jwt);
    }

    /** A framework's title and version, e.g. for operators' mails, by its id; empty when unknown. */
    public Optional<String> frameworkTitle(String frameworkId) {
        return FrameworkId.parse(frameworkId).flatMap(this::framework).map(f -> f.title() + " (" + f.version() + ")");
    }

    /**
     * A framework version as this instance received it from {@code frameworks}.
     */
    public Optional<Framework> framework(FrameworkId id) {
        return streams.framework(id);
    }

    /**
     * Adds the issuer's routes (see {@link PublicPages}, {@link IssuerRoutes}, {@link CredentialStatusRoutes},
     * {@link FrameworkRoutes}, {@link OperatorRecordRoutes}, {@link AccessLinkRoutes},
     * {@link OperatorPageRoutes}, {@link LcwExchangeRoutes}) to the app's server; operators' pages show
     * no assessment progress.
     */
    public void addRoutes(Javalin http) {
        addRoutes(http, OperatorProgress.NONE);
    }

    /** As {@link #addRoutes(Javalin)}, operators' pages showing their {@code progress}. */
    public void addRoutes(Javalin http, OperatorProgress progress) {
        DidWebDocument did = new DidWebDocument(config.urls());
        // Link tokens and exchange ids are unguessable, and guessing them is held back on top.
        new GuessGuard(guesses).guardNotFound(http, AccessLinks.PATH_PREFIX + "*", LcwExchangeRoutes.EXCHANGES_PATH + "*");
        PublicPages pages = new PublicPages(profile, config.urls(), did, streams::frameworks);
        pages.addTo(http);
        new IssuerRoutes(assembler.profile(), publishedKeys, this::credential, did, pages).addTo(http);
        new CredentialStatusRoutes(authenticator, this::credential, streams::sendCommand,
                listId -> signedLists.signed(listId)
                        .map(signed -> new CredentialStatusRoutes.SignedStatusList(signed.jwt(), signed.etag())),
                this::dataIntegrityStatusList, clock).addTo(http);
        new FrameworkRoutes(this::framework, new FrameworkPages(config.urls())).addTo(http);
        new OperatorRecordRoutes(authenticator, this::operatorCredentials, this::clr, operators).addTo(http);
        new AccessLinkRoutes(authenticator, accessLinks).addTo(http);
        new OperatorPageRoutes(accessLinks, this::operatorCredentials, progress, this::framework, config.urls().base(),
                clock).addTo(http);
        new LcwExchangeRoutes(accessLinks, this::credential, lcwExchanges, dataIntegritySigner,
                new DidAuthentication(DataIntegritySigner.suite()), config.urls(), deliveryLog()).addTo(http);
    }
}
