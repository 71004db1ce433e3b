package io.credpipe.app.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds transactions that the embedded broker's transaction coordinator has finished but whose
 * end never reached some of their partitions ({@code kafka-transactions.sh find-hanging}, done by
 * the embedded mode itself), and ends them there as the coordinator decided.
 *
 * <p>Why: Kafka 4.3's coordinator drops the marker of a partition that has no leader at the moment
 * it sends the transaction's markers, as if the partition had been deleted, and records the
 * transaction complete ({@code LeaderlessMarkerLossIT} shows it on its own). A single broker
 * restarted after a {@code kill -9} has leaderless partitions for a moment while its coordinator
 * already ends the transactions the killed process left: measured here, 3 of 22
 * {@code KillRestartIT} runs. Each partition that lost its marker then keeps its last stable offset
 * below the transaction for good, and every {@code read_committed} reader waits behind it, among
 * them Kafka Streams restoring the evaluator's stores: the pipeline takes events and never decides
 * on them again, across restarts.
 *
 * <p>The coordinator's decision is still in its log ({@link CoordinatorLog}): the transaction's
 * {@code PrepareCommit} or {@code PrepareAbort}. A hanging transaction gets that end on each
 * partition it still holds open: the abort through {@code Admin.abortTransaction}, the commit
 * through the same broker request with the commit result ({@link CommitMarker}), since Kafka's
 * admin API has no commit. Exactly-once holds: every partition ends the transaction the way the
 * others already did. When the log no longer says (compacted, which the coordinator's active
 * segment never is), the transaction is left with one error line per partition.
 *
 * <p>A transaction is taken for hanging only when it is seen open in two scans in a row, its last
 * write is older than {@code minAge}, and the coordinator is not still working on it (the
 * producer's transaction is not ongoing or being prepared with that partition).
 */
final class HangingTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** A transaction open on one partition, as that partition's leader describes its producer. */
    record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
            long startOffset, long lastWriteMillis) {

        /** The same transaction on the same partition, whatever was written to it since. */
        boolean sameAs(OpenTransaction other) {
            return partition.equals(other.partition) && producerId == other.producerId
                    && producerEpoch == other.producerEpoch && startOffset == other.startOffset;
        }
    }

    /** What the coordinator says of a producer's current transaction. */
    record CoordinatorView(TransactionState state, Set<TopicPartition> partitions) {

        boolean stillWorkingOn(TopicPartition partition) {
            boolean active = switch (state) {
                case ONGOING, PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> true;
                default -> false;
            };
            return active && partitions.contains(partition);
        }
    }

    /**
     * The hanging transactions of {@code now}, to be ended: open in the previous scan too, last written at least
     * {@code minAge} before {@code nowMillis}, and not in the hands of their coordinator. A producer
     * the coordinator does not know (its transactional id expired) counts as not in its hands.
     */
    static List<OpenTransaction> hanging(List<OpenTransaction> previousScan, List<OpenTransaction> now,
            Map<Long, List<CoordinatorView>> coordinator, long nowMillis, Duration minAge) {
        List<OpenTransaction> hanging = new ArrayList<>();
        for (OpenTransaction open : now) {
            boolean seenBefore = previousScan.stream().anyMatch(open::sameAs);
            boolean oldEnough = nowMillis - open.lastWriteMillis() >= minAge.toMillis();
            boolean inHand = coordinator.getOrDefault(open.producerId(), List.of()).stream()
                    .anyMatch(view -> view.stillWorkingOn(open.partition()));
            if (seenBefore && oldEnough && !inHand) {
                hanging.add(open);
            }
        }
        return hanging;
    }

    private final String bootstrapServers;
    private final Admin admin;
    private final Set<String> reported = new HashSet<>();
    private final Duration minAge;
    private final ScheduledExecutorService scans;
    private List<OpenTransaction> previousScan = List.of();

    HangingTransactions(String bootstrapServers, Duration minAge) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "credpipe-embedded-hanging-transactions"));
        this.minAge = minAge;
        this.scans = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "credpipe-embedded-hanging-transactions");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Scans the broker every {@code period} from now on, until closed. */
    static HangingTransactions watch(String bootstrapServers, Duration period, Duration minAge) {
        HangingTransactions watcher = new HangingTransactions(bootstrapServers, minAge);
        watcher.scans.scheduleWithFixedDelay(watcher::scanQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // A scan that cannot see everything decides nothing; the next one tries again.
            log.debug("hanging-transaction scan skipped: {}", e.toString());
            previousScan = List.of();
        }
    }

    /** One scan: finds the hanging transactions and ends those whose end the coordinator's log tells. */
    void scan() throws InterruptedException, ExecutionException, TimeoutException {
        long timeout = CALL_TIMEOUT.toMillis();
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Node> leaders = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS).values()) {
            topic.partitions().forEach(p -> leaders.put(new TopicPartition(topic.name(), p.partition()), p.leader()));
        }
        List<OpenTransaction> open = new ArrayList<>();
        admin.describeProducers(leaders.keySet()).all().get(timeout, TimeUnit.MILLISECONDS).forEach((partition, description) ->
                description.activeProducers().forEach(producer -> producer.currentTransactionStartOffset().ifPresent(start ->
                        open.add(new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
                                producer.coordinatorEpoch().orElse(0), start, producer.lastTimestamp())))));
        long scannedAt = System.currentTimeMillis();
        List<OpenTransaction> candidates = open.stream().filter(t -> previousScan.stream().anyMatch(t::sameAs)).toList();
        List<OpenTransaction> hanging = candidates.isEmpty() ? List.of()
                : hanging(previousScan, open, coordinatorViews(candidates), scannedAt, minAge);
        previousScan = List.copyOf(open);
        if (hanging.isEmpty()) {
            return;
        }
        List<CoordinatorLog.Entry> decisions = CoordinatorLog.read(bootstrapServers, CALL_TIMEOUT);
        for (OpenTransaction left : hanging) {
            Optional<CoordinatorLog.Outcome> outcome = CoordinatorLog.outcome(decisions, left.producerId(), left.producerEpoch(), left.partition());
            if (outcome.isEmpty()) {
                if (reported.add(left.producerId() + "/" + left.producerEpoch() + "/" + left.partition())) {
                    log.error("a transaction hangs on {} (producer {} epoch {}, open since offset {}): its coordinator "
                            + "has finished it, but its end never arrived there and the coordinator's log no longer says whether it "
                            + "committed. read_committed readers of that partition wait; see docs/reliability.md, "
                            + "'transactions that never end'", left.partition(), left.producerId(), left.producerEpoch(), left.startOffset());
                }
                continue;
            }
            end(left, outcome.get(), leaders.get(left.partition()));
        }
    }

    private void end(OpenTransaction left, CoordinatorLog.Outcome outcome, Node leader)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (outcome == CoordinatorLog.Outcome.ABORT) {
            admin.abortTransaction(new AbortTransactionSpec(left.partition(), left.producerId(),
                    (short) left.producerEpoch(), left.coordinatorEpoch())).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            if (leader == null || leader.isEmpty()) {
                // Leaderless now: the next scan finds it again.
                return;
            }
            try {
                CommitMarker.write(leader, left.partition(), left.producerId(), (short) left.producerEpoch(), left.coordinatorEpoch(),
                        CALL_TIMEOUT);
            } catch (IOException e) {
                throw new ExecutionException(e);
            }
        }
        log.warn("ended a transaction on {} as its coordinator had ({}), whose marker Kafka had dropped: producer {} epoch {}, "
                + "open since offset {}; read_committed readers, Kafka Streams' restore among them, were held behind it",
                left.partition(), outcome == CoordinatorLog.Outcome.COMMIT ? "committed" : "aborted", left.producerId(),
                left.producerEpoch(), left.startOffset());
    }

    private Map<Long, List<CoordinatorView>> coordinatorViews(List<OpenTransaction> candidates)
            throws InterruptedException, ExecutionException, TimeoutException {
        long timeout = CALL_TIMEOUT.toMillis();
        Set<Long> producerIds = new HashSet<>();
        candidates.forEach(t -> producerIds.add(t.producerId()));
        List<TransactionListing> listings = new ArrayList<>(admin.listTransactions(new ListTransactionsOptions()
                .filterProducerIds(producerIds)).all().get(timeout, TimeUnit.MILLISECONDS));
        Map<Long, List<CoordinatorView>> views = new HashMap<>();
        if (listings.isEmpty()) {
            return views;
        }
        Map<String, TransactionDescription> descriptions = admin.describeTransactions(
                listings.stream().map(TransactionListing::transactionalId).toList()).all().get(timeout, TimeUnit.MILLISECONDS);
        descriptions.values().forEach(d -> views.computeIfAbsent(d.producerId(), id -> new ArrayList<>())
                .add(new CoordinatorView(d.state(), Set.copyOf(d.topicPartitions()))));
        return views;
    }

    @Override
    public void close() {
        scans.shutdownNow();
        try {
            scans.awaitTermination(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
