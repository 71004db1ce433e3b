package io.credpipe.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds transactions that the embedded broker's transaction coordinator has finished but whose
 * end never reached the partitions ({@code kafka-transactions.sh find-hanging}, done by the
 * embedded mode itself), and aborts those it can abort without losing a committed record.
 *
 * <p>Why: after a {@code kill -9} of {@code credpipe run}, the restarted coordinator completes the
 * killed evaluator's open transaction and sends its markers before the broker's own listener
 * accepts connections. Measured here (Kafka 4.3.1, transaction version 2): with the broker's
 * ports kept across restarts ({@link ListenerPorts}), 3 of 22 {@code KillRestartIT} runs still
 * ended with markers that never arrived although the coordinator recorded the transaction as
 * done. Each partition the transaction wrote then keeps its last stable offset below it for good,
 * and every {@code read_committed} reader waits behind it, among them Kafka Streams restoring the
 * evaluator's stores: the pipeline takes events and never
 * decides on them again, across restarts.
 *
 * <p>Aborting keeps exactly-once only when <em>no</em> marker of the transaction arrived anywhere:
 * then every partition it wrote is still open, the consumer offsets it committed included, and
 * aborting them all undoes the transaction as a whole; Kafka Streams processes its input again
 * from the offsets committed before it. If some markers did arrive, the coordinator may have
 * decided to commit, and aborting the rest would lose committed records: measured here, one such
 * abort lost 3 of 101 credentials. So a hanging transaction is aborted only when (1) it holds a
 * {@code __consumer_offsets} partition open, and (2) no partition shows its producer at a later
 * epoch: under transaction version 2 (KIP-890), which the embedded broker is formatted with, the
 * markers that end a transaction carry the next epoch, so a later epoch anywhere means some
 * marker (or a later transaction) landed. Otherwise it is left, with one error line naming its
 * partitions; Kafka offers no way to commit a partition from outside. This runs for the single
 * embedded broker only.
 *
 * <p>A transaction is taken for hanging only when it is seen open in two scans in a row, its last
 * write is older than {@code minAge}, and the coordinator is not still working on it (the
 * producer's transaction is not ongoing or being prepared with that partition).
 */
final class HangingTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String CONSUMER_OFFSETS = Topic.GROUP_METADATA_TOPIC_NAME;

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
     * The transactions of {@code now} to abort: open in the previous scan too, last written at least
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

    /**
     * Of {@code hanging}, the transactions that can be aborted without losing a committed record:
     * those of a producer and epoch that hold a {@code __consumer_offsets} partition open and whose
     * producer no partition shows at a later epoch ({@code latestEpochs}: the highest epoch of each
     * producer across all partitions).
     */
    static List<OpenTransaction> wholeTransactions(List<OpenTransaction> hanging, Map<Long, Integer> latestEpochs) {
        List<OpenTransaction> whole = new ArrayList<>();
        for (OpenTransaction open : hanging) {
            boolean holdsOffsets = hanging.stream().anyMatch(other -> other.producerId() == open.producerId()
                    && other.producerEpoch() == open.producerEpoch()
                    && other.partition().topic().equals(CONSUMER_OFFSETS));
            boolean nothingLater = latestEpochs.getOrDefault(open.producerId(), open.producerEpoch()) <= open.producerEpoch();
            if (holdsOffsets && nothingLater) {
                whole.add(open);
            }
        }
        return whole;
    }

    private final Admin admin;
    private final Set<String> reported = new HashSet<>();
    private final Duration minAge;
    private final ScheduledExecutorService scans;
    private List<OpenTransaction> previousScan = List.of();

    private HangingTransactions(String bootstrapServers, Duration minAge) {
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

    private void scan() throws InterruptedException, ExecutionException, TimeoutException {
        long timeout = CALL_TIMEOUT.toMillis();
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(timeout, TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS).values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        List<OpenTransaction> open = new ArrayList<>();
        Map<Long, Integer> latestEpochs = new HashMap<>();
        admin.describeProducers(partitions).all().get(timeout, TimeUnit.MILLISECONDS).forEach((partition, description) ->
                description.activeProducers().forEach(producer -> {
                    latestEpochs.merge(producer.producerId(), producer.producerEpoch(), Math::max);
                    producer.currentTransactionStartOffset().ifPresent(start ->
                            open.add(new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
                                    producer.coordinatorEpoch().orElse(0), start, producer.lastTimestamp())));
                }));
        long scannedAt = System.currentTimeMillis();
        List<OpenTransaction> candidates = open.stream().filter(t -> previousScan.stream().anyMatch(t::sameAs)).toList();
        List<OpenTransaction> hanging = candidates.isEmpty() ? List.of()
                : hanging(previousScan, open, coordinatorViews(candidates), scannedAt, minAge);
        previousScan = List.copyOf(open);
        List<OpenTransaction> toAbort = wholeTransactions(hanging, latestEpochs);
        for (OpenTransaction left : hanging) {
            if (!toAbort.contains(left) && reported.add(left.producerId() + "/" + left.producerEpoch() + "/" + left.partition())) {
                log.error("a transaction hangs on {} (producer {} epoch {}, open since offset {}): its coordinator has finished it, "
                        + "but part of its end never arrived, and aborting the rest could lose what it committed. read_committed "
                        + "readers of that partition wait; see docs/reliability.md, 'transactions that never end'",
                        left.partition(), left.producerId(), left.producerEpoch(), left.startOffset());
            }
        }
        for (OpenTransaction whole : toAbort) {
            admin.abortTransaction(new AbortTransactionSpec(whole.partition(), whole.producerId(),
                    (short) whole.producerEpoch(), whole.coordinatorEpoch())).all().get(timeout, TimeUnit.MILLISECONDS);
            log.warn("aborted a transaction its coordinator had finished but none of whose end arrived, on {} (producer {} epoch {}, "
                    + "open since offset {}): read_committed readers, Kafka Streams' restore among them, were held behind it",
                    whole.partition(), whole.producerId(), whole.producerEpoch(), whole.startOffset());
        }
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
