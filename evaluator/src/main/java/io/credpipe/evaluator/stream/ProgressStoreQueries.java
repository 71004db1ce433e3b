package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.LevelPolicies;
import io.credpipe.evaluator.rule.OperatorProgress;
import io.credpipe.evaluator.rule.OperatorProgressReport;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * An operator's progress read from the evaluator's state stores by Kafka Streams interactive queries:
 * which instance owns the operator's {@code assessments} partition, and the report from this
 * instance's {@value EvaluatorTopology#PROGRESS_STORE} and {@value EvaluatorTopology#FRAMEWORKS_STORE}.
 */
public final class ProgressStoreQueries {

    private final Supplier<KafkaStreams> streams;
    private final Optional<String> self;
    private final LevelPolicies policies;

    /**
     * @param streams the running client, {@code null} while not started
     * @param self this instance's {@code application.server}, when set (a split deployment)
     * @param policies the policy of each framework, as the evaluator applies them
     */
    public ProgressStoreQueries(Supplier<KafkaStreams> streams, Optional<String> self, LevelPolicies policies) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    /**
     * The {@code host:port} of the instance that owns the operator, when that is another instance
     * (known only with {@code application.server} set).
     */
    public Optional<String> remoteOwner(String operatorId) {
        KafkaStreams client = streams.get();
        if (client == null || self.isEmpty() || !client.state().isRunningOrRebalancing()) {
            return Optional.empty();
        }
        KeyQueryMetadata owner = client.queryMetadataForKey(
                EvaluatorTopology.PROGRESS_STORE, operatorId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        String address = owner.activeHost().host() + ":" + owner.activeHost().port();
        return address.equals(self.get()) ? Optional.empty() : Optional.of(address);
    }

    /**
     * The operator's progress from this instance's stores.
     *
     * @throws ProblemException 503 when the evaluator is not running here or does not hold the operator
     */
    public OperatorProgressReport report(String operatorId) {
        KafkaStreams client = streams.get();
        // While rebalancing, the stores of the tasks this instance keeps stay queryable.
        if (client == null || !client.state().isRunningOrRebalancing()) {
            throw unavailable("The evaluator is not running on this instance.");
        }
        KeyQueryMetadata owner = client.queryMetadataForKey(
                EvaluatorTopology.PROGRESS_STORE, operatorId, new StringSerializer());
        StoreQueryParameters<ReadOnlyKeyValueStore<String, OperatorProgress>> query = StoreQueryParameters
                .fromNameAndType(EvaluatorTopology.PROGRESS_STORE, QueryableStoreTypes.<String, OperatorProgress>keyValueStore());
        boolean located = owner != null && !owner.equals(KeyQueryMetadata.NOT_AVAILABLE);
        if (located) {
            query = query.withPartition(owner.partition());
        }
        List<OperatorProgress> progress = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, OperatorProgress> store = client.store(query);
            try (KeyValueIterator<String, OperatorProgress> entries =
                    store.prefixScan(LedgerKey.operatorPrefix(operatorId), new StringSerializer())) {
                entries.forEachRemaining(entry -> progress.add(entry.value));
            }
            ReadOnlyKeyValueStore<String, byte[]> frameworks = client.store(StoreQueryParameters
                    .fromNameAndType(EvaluatorTopology.FRAMEWORKS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            return OperatorProgressReport.of(operatorId, progress, new StoredFrameworkCatalogue(frameworks), policies);
        } catch (InvalidStateStoreException e) {
            String ownerAddress = located ? owner.activeHost().host() + ":" + owner.activeHost().port() : null;
            throw unavailable(ownerAddress != null && !self.equals(Optional.of(ownerAddress))
                    ? "The evaluator at " + ownerAddress + " holds this operator's progress."
                    : "This instance is rebalancing or restoring its progress stores. Try again shortly.");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("progress-unavailable", "Progress unavailable", 503, detail));
    }
}
