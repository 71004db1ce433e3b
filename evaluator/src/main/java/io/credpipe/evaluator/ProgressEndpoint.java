package io.credpipe.evaluator;

import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /v1/operators/{id}/progress}: an operator's progress per framework and level, read from
 * the evaluator's own state stores (interactive queries), so it always agrees with the decisions.
 *
 * <p>An operator's progress lives on the instance that owns their {@code assessments} partition. With
 * {@code application.server} set (a split deployment, through {@code EvaluatorConfig.streamsOverrides};
 * the value is the {@code host:port} of this instance's HTTP server), Kafka Streams knows which instance
 * owns each operator: this endpoint reads exactly that partition when it is here, and otherwise forwards
 * the request once to the owner's same route and relays its answer. A forwarded request is never
 * forwarded again (header {@value #FORWARDED_HEADER}): while ownership moves, the answer is a 503 rather
 * than a loop. Without {@code application.server} (the single-instance default) every partition is
 * local and all local stores are read.
 *
 * <p>The route needs an API key ({@code Authorization: Bearer}, an HR source's or an administrator's):
 * operators are named by their HR employee number, which is easy to guess, and their progress is
 * their assessment history. A forwarded request carries the caller's header, so every instance of a
 * split deployment must know the same keys.
 */
public final class ProgressEndpoint {

    /** Marks a request one evaluator forwarded to another. */
    public static final String FORWARDED_HEADER = "X-Credpipe-Forwarded-By";

    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);

    private final EvaluatorService service;
    private final Authenticator authenticator;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();

    /**
     * @param service the evaluator whose stores are read
     * @param authenticator who may ask: any known API key
     */
    public ProgressEndpoint(EvaluatorService service, Authenticator authenticator) {
        this.service = Objects.requireNonNull(service, "service");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** Adds the route. */
    public void addRoutes(Javalin http) {
        http.get("/v1/operators/{id}/progress", ctx -> {
            authenticator.caller(ctx.header("Authorization"), "an API key of an HR source or an administrator");
            String operatorId = ctx.pathParam("id");
            Optional<String> remote = remoteOwner(operatorId);
            if (remote.isPresent()) {
                if (ctx.header(FORWARDED_HEADER) != null) {
                    throw unavailable("The evaluator at " + remote.get() + " holds this operator's progress and this"
                            + " request was already forwarded once; ownership is moving. Try again shortly.");
                }
                HttpResponse<byte[]> answer = forward(remote.get(), operatorId, ctx.header("Authorization"));
                ctx.status(answer.statusCode())
                        .contentType(answer.headers().firstValue("Content-Type").orElse("application/json"))
                        .result(answer.body());
                return;
            }
            ctx.json(report(operatorId));
        });
    }

    /**
     * The {@code host:port} of the instance that owns the operator, when that is another instance
     * (known only with {@code application.server} set).
     */
    Optional<String> remoteOwner(String operatorId) {
        KafkaStreams streams = service.streams();
        Object self = service.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (streams == null || self == null || !streams.state().isRunningOrRebalancing()) {
            return Optional.empty();
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(
                EvaluatorTopology.PROGRESS_STORE, operatorId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        String address = owner.activeHost().host() + ":" + owner.activeHost().port();
        return address.equals(self.toString()) ? Optional.empty() : Optional.of(address);
    }

    private HttpResponse<byte[]> forward(String owner, String operatorId, String authorization) {
        URI uri = URI.create("http://" + owner + "/v1/operators/"
                + URLEncoder.encode(operatorId, StandardCharsets.UTF_8).replace("+", "%20") + "/progress");
        Object self = service.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, String.valueOf(self)).header("Accept", "application/json")
                .header("Authorization", authorization).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("The evaluator at " + owner + " holds this operator's progress but cannot be reached.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while asking the evaluator at " + owner + ".");
        }
    }

    /**
     * The operator's progress from this instance's stores.
     *
     * @throws ProblemException 503 when the evaluator is not running here or does not hold the operator
     */
    OperatorProgressReport report(String operatorId) {
        KafkaStreams streams = service.streams();
        // While rebalancing, the stores of the tasks this instance keeps stay queryable.
        if (streams == null || !streams.state().isRunningOrRebalancing()) {
            throw unavailable("The evaluator is not running on this instance.");
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(
                EvaluatorTopology.PROGRESS_STORE, operatorId, new StringSerializer());
        StoreQueryParameters<ReadOnlyKeyValueStore<String, OperatorProgress>> query = StoreQueryParameters
                .fromNameAndType(EvaluatorTopology.PROGRESS_STORE, QueryableStoreTypes.<String, OperatorProgress>keyValueStore());
        boolean located = owner != null && !owner.equals(KeyQueryMetadata.NOT_AVAILABLE);
        if (located) {
            query = query.withPartition(owner.partition());
        }
        List<OperatorProgress> progress = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, OperatorProgress> store = streams.store(query);
            try (KeyValueIterator<String, OperatorProgress> entries =
                    store.prefixScan(LedgerKey.operatorPrefix(operatorId), new StringSerializer())) {
                entries.forEachRemaining(entry -> progress.add(entry.value));
            }
            ReadOnlyKeyValueStore<String, byte[]> frameworks = streams.store(StoreQueryParameters
                    .fromNameAndType(EvaluatorTopology.FRAMEWORKS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            return OperatorProgressReport.of(operatorId, progress, new StoredFrameworkCatalogue(frameworks),
                    service.config().policies());
        } catch (InvalidStateStoreException e) {
            String ownerAddress = located ? owner.activeHost().host() + ":" + owner.activeHost().port() : null;
            Object self = service.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
            throw unavailable(ownerAddress != null && !ownerAddress.equals(self)
                    ? "The evaluator at " + ownerAddress + " holds this operator's progress."
                    : "This instance is rebalancing or restoring its progress stores. Try again shortly.");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("progress-unavailable", "Progress unavailable", 503, detail));
    }
}
