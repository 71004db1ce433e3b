package io.credpipe.evaluator;

import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
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
 * {@code application.server} set (a split deployment, through {@code EvaluatorConfig.streamsOverrides}),
 * Kafka Streams knows that partition and this endpoint reads exactly it, answering 503 with the owner's
 * address when another instance holds it. Without it (the single-instance default) every partition
 * is local and all local stores are read.
 */
public final class ProgressEndpoint {

    private final EvaluatorService service;

    public ProgressEndpoint(EvaluatorService service) {
        this.service = service;
    }

    /** Adds the route. */
    public void addRoutes(Javalin http) {
        http.get("/v1/operators/{id}/progress", ctx -> ctx.json(report(ctx.pathParam("id"))));
    }

    /**
     * The operator's progress.
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
