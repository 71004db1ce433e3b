package io.credpipe.ingest;

import io.credpipe.ingest.http.AssessmentRoutes;
import io.credpipe.ingest.http.BatchRoutes;
import io.credpipe.ingest.http.EventHistory;
import io.credpipe.ingest.http.EventRoutes;
import io.credpipe.ingest.http.PipelinePositions;
import io.credpipe.ingest.http.FrameworkRoutes;
import io.credpipe.ingest.http.IngestApi;
import io.credpipe.ingest.http.IngestMetrics;
import io.credpipe.ingest.http.PublishedFrameworks;
import io.credpipe.ingest.intake.AssessmentValidator;
import io.credpipe.ingest.intake.BatchIntake;
import io.credpipe.ingest.intake.EventIdIndex;
import io.credpipe.ingest.intake.EventKey;
import io.credpipe.ingest.intake.KnownReferences;
import io.credpipe.ingest.intake.SourceRateLimiter;
import io.credpipe.ingest.kafka.AssessmentPublisher;
import io.credpipe.ingest.kafka.BrokerOutage;
import io.credpipe.ingest.kafka.FrameworkCatalogue;
import io.credpipe.ingest.kafka.EventTrail;
import io.credpipe.ingest.kafka.GroupPositions;
import io.credpipe.ingest.kafka.SeenEventsLoader;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The HTTP API HR systems post assessment events to: wires validation and intake ({@code intake}),
 * the Kafka side ({@code kafka}) and the routes ({@code http}), starts and stops them.
 *
 * <ul>
 *   <li>{@code POST /v1/assessments} with one event as {@code application/json}: {@code 202}
 *       {@code {"eventId": …, "status": "accepted"}} once the broker acknowledged it, {@code 200}
 *       with status {@code duplicate} when the same event (same {@code source}, {@code eventId} and
 *       content) is already in the pipeline, {@code 409 conflicting-event} naming the fields that
 *       differ when its source sent other content under that {@code eventId},
 *       {@code 400 invalid-event} (with a JSON Pointer per field at fault) or {@code 400
 *       malformed-json}, {@code 422 unknown-framework} / {@code unknown-statement} (the statement
 *       is in no loaded framework) or {@code 422 unknown-retraction-target} (the retracted event was
 *       not sent by this source about this operator, or is itself a retraction), all recorded on
 *       {@code assessments-rejected} with their reason, {@code 403
 *       forbidden-source} when the event names another source than the key's.
 *   <li>The same route with an NDJSON batch ({@code application/x-ndjson}, one event per line):
 *       taken line by line, answered {@code 202} with an
 *       {@link io.credpipe.ingest.intake.IntakeReport} once every accepted and rejected line is
 *       acknowledged (each accepted line with its partition and offset), and a batch id; bad lines
 *       do not stop good ones.
 *   <li>{@code GET /v1/batches/{id}}: the batch's receipt, finished once the evaluator and the
 *       issuer have passed it ({@link io.credpipe.ingest.http.BatchRoutes}); {@code GET
 *       /v1/pipeline}: each stage's lag.
 *   <li>{@code GET /v1/assessments/{source}/{eventId}}: what became of one event
 *       ({@link io.credpipe.ingest.http.EventRoutes}).
 *   <li>{@code POST /v1/assessments:import} with {@code text/csv} (columns in
 *       {@link io.credpipe.ingest.intake.CsvAssessments}; {@code ?map=column:header,…} renames a
 *       file's headers): the same line-by-line report, line numbers being the file's, and each field
 *       error naming its column.
 *   <li>{@code POST /v1/frameworks} (admin key) with a framework in the LER export format: published
 *       to {@code frameworks}, {@code 201} with {@code Location} when new, {@code 200} when amended
 *       or unchanged, {@code 409 framework-conflict} when its statements differ from those already
 *       published under its id; {@code GET /v1/frameworks} lists them, {@code GET
 *       /v1/frameworks/{id}} serves one in the export format (both public: credentials link to them).
 *   <li>{@code GET /v1/schemas/assessment-event.json}: the JSON Schema events are validated against.
 * </ul>
 *
 * <p>Writes need an API key ({@code Authorization: Bearer}, RFC 6750 §2.1): none or an unknown one
 * is {@code 401} with {@code WWW-Authenticate: Bearer}; a known key that may not do what it asks is
 * {@code 403}. A key writes only events whose {@code source} is its own: the HR system states the
 * source and ingest checks it, rather than filling it in, so that a system configured with the
 * wrong key is told so instead of having its events filed under another source.
 *
 * <p>Every answer but {@code 503} means what was sent is durably in Kafka, accepted or rejected.
 * When the broker does not acknowledge within {@link IngestConfig#ackTimeout()}, or ingest is still
 * reading the ids already in the pipeline, the answer is {@code 503} with {@code Retry-After};
 * what was acknowledged stays in and is reported {@code duplicate} when resent. Bodies over
 * {@link IngestConfig.Limits#maxBodyBytes()} or with more lines than
 * {@link IngestConfig.Limits#maxLinesPerBatch()} are {@code 413}; a source sending faster than
 * its rate is {@code 429} with {@code Retry-After}.
 *
 * <p>Metrics: see {@link IngestMetrics}.
 */
public final class IngestService implements AutoCloseable {

    /** Where HR systems post events. */
    public static final String ASSESSMENTS_PATH = IngestApi.ASSESSMENTS_PATH;

    /** Where HR systems post CSV files (a custom method in the AIP-136 style, hence the colon). */
    public static final String IMPORT_PATH = IngestApi.IMPORT_PATH;

    /** Where framework admins publish frameworks, and anyone reads them. */
    public static final String FRAMEWORKS_PATH = IngestApi.FRAMEWORKS_PATH;

    /** Where the OpenAPI 3.1 document of this API is served. */
    public static final String OPENAPI_PATH = IngestApi.OPENAPI_PATH;

    /** Where the event schema is served. */
    public static final String SCHEMA_PATH = IngestApi.SCHEMA_PATH;

    /** Seconds a client is asked to wait before retrying after a {@code 503}. */
    public static final int RETRY_AFTER_SECONDS = IngestApi.RETRY_AFTER_SECONDS;

    /** NDJSON, one JSON text per line (the de-facto registration used by HR tools and {@code credpipe publish}). */
    public static final String NDJSON = IngestApi.NDJSON;

    /** A write failure that retrying can fix: the broker is away, behind or failing, not refusing the record. */
    private static final Predicate<Throwable> TRANSIENT = new BrokerOutage();

    private final AssessmentValidator validator;
    private final AssessmentPublisher publisher;
    private final SeenEventsLoader loader;
    private final FrameworkCatalogue frameworks;
    private final IngestMetrics metrics;
    private final AssessmentRoutes assessmentRoutes;
    private final FrameworkRoutes frameworkRoutes;
    private final GroupPositions positions;
    private final BatchRoutes batchRoutes;
    private final EventRoutes eventRoutes;

    /**
     * Creates the service with its own meter registry; see {@link #IngestService(IngestConfig, MeterRegistry)}.
     *
     * @param config where Kafka is, who may call, and the limits
     */
    public IngestService(IngestConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /**
     * Creates the service, its Kafka producer, and starts reading the event ids already in
     * {@code assessments} in the background; succeeds while the cluster is unreachable, and answers
     * {@code 503} until the ids are read ({@link #ready()}).
     *
     * @param config where Kafka is, who may call, and the limits
     * @param meters where the service's metrics go
     */
    public IngestService(IngestConfig config, MeterRegistry meters) {
        this(config, meters, new AssessmentValidator(), new AssessmentPublisher(config.kafka(), config.ackTimeout()),
                Clock.systemUTC(), new EventIdIndex());
    }

    IngestService(IngestConfig config, MeterRegistry meters, AssessmentValidator validator, AssessmentPublisher publisher,
            Clock clock, EventIdIndex index) {
        Objects.requireNonNull(config, "config");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.metrics = new IngestMetrics(meters);
        IngestConfig.Limits limits = config.limits();
        SourceRateLimiter rateLimiter = new SourceRateLimiter(limits.eventsPerSecondPerSource(), limits.burstPerSource(), System::nanoTime);
        this.loader = new SeenEventsLoader(config.kafka(), index).start();
        this.frameworks = new FrameworkCatalogue(config.kafka()).start();
        BatchIntake intake = new BatchIntake(validator, publisher, index, new TopicReferences(frameworks, loader), TRANSIENT, clock);
        // Statements are checked against the frameworks: until both are read, requests are 503.
        this.assessmentRoutes = new AssessmentRoutes(config.authenticator(), intake, () -> loader.ready() && frameworks.ready(), rateLimiter,
                limits.maxBodyBytes(), limits.maxLinesPerBatch(), config.ackTimeout(), metrics);
        this.frameworkRoutes = new FrameworkRoutes(config.authenticator(), new TopicFrameworks(frameworks, publisher),
                limits.maxBodyBytes(), config.ackTimeout(), TRANSIENT);
        this.positions = new GroupPositions(config.kafka());
        this.batchRoutes = new BatchRoutes(config.authenticator(), new StagePositions(positions, config.stages()));
        this.eventRoutes = new EventRoutes(config.authenticator(), new TopicHistory(index, new EventTrail(config.kafka())));
    }

    /**
     * Whether the service has read every event id already in {@code assessments} and the published
     * frameworks, and so takes requests: the app's readiness check. Until then, and whenever Kafka
     * cannot be read at start, requests are answered 503.
     *
     * @return {@code true} once both are read
     */
    public boolean ready() {
        return loader.ready() && frameworks.ready();
    }

    /**
     * Adds the routes to the application's HTTP server.
     *
     * @param http the server; its {@link ProblemException} handler renders client errors
     */
    public void addRoutes(Javalin http) {
        byte[] schema = validator.schema();
        byte[] openApi = openApi();
        http.get(IngestApi.SCHEMA_PATH, ctx -> ctx.contentType(IngestApi.SCHEMA_MEDIA_TYPE).result(schema));
        http.get(IngestApi.OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
        http.post(IngestApi.ASSESSMENTS_PATH, ctx -> metrics.timed(ctx, "assessments", () -> assessmentRoutes.post(ctx)));
        http.post(IngestApi.IMPORT_PATH, ctx -> metrics.timed(ctx, "import", () -> assessmentRoutes.postImport(ctx)));
        http.post(IngestApi.FRAMEWORKS_PATH, ctx -> metrics.timed(ctx, "frameworks", () -> frameworkRoutes.post(ctx)));
        http.get(IngestApi.FRAMEWORKS_PATH, frameworkRoutes::list);
        http.get(IngestApi.FRAMEWORKS_PATH + "/{id}", frameworkRoutes::get);
        http.get(IngestApi.BATCHES_PATH + "/{id}", batchRoutes::batch);
        http.get(IngestApi.ASSESSMENTS_PATH + "/{source}/{eventId}", eventRoutes::get);
        http.get(IngestApi.PIPELINE_PATH, batchRoutes::pipeline);
    }

    /** The bundled OpenAPI document. */
    static byte[] openApi() {
        return IngestApi.openApi();
    }

    /** Stops reading event ids and closes the Kafka producer, sending what it still holds for up to five seconds. */
    @Override
    public void close() {
        loader.close();
        frameworks.close();
        positions.close();
        publisher.close();
    }

    /** One event's trail: its place from the seen-event index, the rest read from the topics. */
    private record TopicHistory(EventIdIndex index, EventTrail trail) implements EventHistory {

        @Override
        public Optional<Placed<AssessmentEvent>> accepted(String source, String eventId) {
            return index.position(new EventKey(source, eventId)).flatMap(at -> trail.event(at)
                    .filter(event -> source.equals(event.source()) && eventId.equals(event.eventId()))
                    .map(event -> new Placed<>(event, Topics.ASSESSMENTS.name(), at.partition(), at.offset())));
        }

        @Override
        public List<Placed<Rejection>> rejections(String source, String eventId) {
            return trail.rejections(source, eventId).stream()
                    .map(f -> new Placed<>(f.value(), Topics.ASSESSMENTS_REJECTED.name(), f.partition(), f.offset())).toList();
        }

        @Override
        public List<Placed<LevelDecision>> decisions(String operatorId, String eventId) {
            return trail.decisions(operatorId, eventId).stream()
                    .map(f -> new Placed<>(f.value(), Topics.ACHIEVEMENTS.name(), f.partition(), f.offset())).toList();
        }
    }

    /** The stages' positions from their consumer groups: the evaluator on assessments, the issuer on achievements. */
    private record StagePositions(GroupPositions positions, IngestConfig.Stages stages) implements PipelinePositions {

        @Override
        public String evaluatorGroup() {
            return stages.evaluator();
        }

        @Override
        public String issuerGroup() {
            return stages.issuer();
        }

        @Override
        public Set<Integer> evaluatorPassed(Map<Integer, Long> targets) {
            return positions.passed(stages.evaluator(), Topics.ASSESSMENTS.name(), targets);
        }

        @Override
        public Map<Integer, Long> decisionsEnd() {
            return positions.ends(Topics.ACHIEVEMENTS.name());
        }

        @Override
        public boolean issuerPassed(Map<Integer, Long> targets) {
            return positions.passed(stages.issuer(), Topics.ACHIEVEMENTS.name(), targets).containsAll(targets.keySet());
        }

        @Override
        public List<StageLag> lag() {
            return List.of(lag("evaluator", stages.evaluator(), Topics.ASSESSMENTS.name()),
                    lag("issuer", stages.issuer(), Topics.ACHIEVEMENTS.name()),
                    lag("issuer", stages.issuer(), Topics.CREDENTIAL_COMMANDS.name()));
        }

        private StageLag lag(String stage, String group, String topic) {
            Map<Integer, Long> committed = positions.committed(group, topic);
            List<PartitionLag> partitions = new ArrayList<>();
            long total = 0;
            for (Map.Entry<Integer, Long> end : positions.ends(topic).entrySet()) {
                Long at = committed.get(end.getKey());
                long lag = Math.max(0, end.getValue() - (at == null ? 0 : at));
                total += lag;
                partitions.add(new PartitionLag(end.getKey(), end.getValue(), at == null ? -1 : at, lag));
            }
            return new StageLag(stage, group, topic, total, partitions);
        }
    }

    /** What intake resolves references against: the followed {@code frameworks} and {@code assessments} topics. */
    private record TopicReferences(FrameworkCatalogue frameworks, SeenEventsLoader seen) implements KnownReferences {

        /** How long a lookup that missed waits for each topic to be read up to its end. */
        private static final Duration PATIENCE = Duration.ofSeconds(3);

        @Override
        public Optional<Framework> framework(FrameworkId id) {
            return frameworks.get(id.toString());
        }

        @Override
        public boolean catchUp() {
            return frameworks.catchUp(PATIENCE) & seen.catchUp(PATIENCE);
        }
    }

    /** The frameworks port over the {@code frameworks} topic: read by the catalogue, written by the publisher. */
    private record TopicFrameworks(FrameworkCatalogue catalogue, AssessmentPublisher publisher) implements PublishedFrameworks {

        @Override
        public boolean ready() {
            return catalogue.ready();
        }

        @Override
        public Optional<Framework> get(String id) {
            return catalogue.get(id);
        }

        @Override
        public List<Framework> all() {
            return catalogue.all();
        }

        @Override
        public CompletableFuture<?> publish(Framework framework) {
            return publisher.publishFramework(framework);
        }

        @Override
        public void remember(Framework framework) {
            catalogue.put(framework);
        }
    }
}
