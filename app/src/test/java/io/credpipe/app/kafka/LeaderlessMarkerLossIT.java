package io.credpipe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.testing.TestKitClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kafka defect behind the embedded mode's hanging transactions after {@code kill -9}
 * (docs/reliability.md, "transactions that never end"), reproduced on its own, and
 * {@link HangingTransactions} ending such a transaction the way its coordinator decided.
 *
 * <p>The defect (Kafka 4.3.1; the same code in 4.3.2 and 4.4.0): the transaction coordinator asks
 * its metadata cache where each marker goes; an empty answer means "the topic is gone, skip it",
 * while {@code Node.noNode()} means "leader unknown, queue and retry". The Java
 * {@code KRaftMetadataCache.getPartitionLeaderEndpoint} answers empty also when the partition exists
 * but has no leader (leader -1 is no broker), where the Scala cache before it answered
 * {@code noNode}. So a transaction ended while one of its partitions is leaderless is recorded
 * complete without that partition's marker; the partition keeps it open for ever and its last
 * stable offset never passes it. A single broker restarted after an unclean stop has leaderless
 * partitions for a moment while its coordinator already ends the transactions the killed process
 * left: the window {@code KillRestartIT} meets.
 *
 * <p>Two brokers and one controller: the coordinator's log on one broker, the transaction's data
 * partition on the other, which is stopped (cleanly) before the transaction ends so that the
 * partition is leaderless while the markers are sent. Each test first asserts the defect (an upgrade
 * of Kafka that mends it fails here, and the workaround can then go), then the repair.
 */
class LeaderlessMarkerLossIT {

    private static final String TOPIC = "leaderless-marker-loss";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A commit whose marker Kafka dropped is committed there, an abort aborted. */
    @ParameterizedTest(name = "commit: {0}")
    @ValueSource(booleans = {true, false})
    void aTransactionWhoseMarkerKafkaDroppedIsEndedOnThePartitionAsDecided(boolean commit) throws Exception {
        try (KafkaClusterTestKit cluster = twoBrokers(); Admin admin = admin(cluster)) {
            String transactionalId = commit ? "leaderless-commit" : "leaderless-abort";
            leaveHanging(cluster, admin, transactionalId, commit);
            assertThat(transactionState(admin, transactionalId))
                    .isEqualTo(commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT);

            endHangingTransactions(cluster);

            assertThat(openTransactionStart(admin)).as("the transaction has ended on the partition").isEmpty();
            assertThat(offset(admin, IsolationLevel.READ_COMMITTED)).as("last stable offset: past the marker").isEqualTo(2L);
            assertThat(readCommitted(cluster)).as("what read_committed readers see")
                    .isEqualTo(commit ? List.of("a decision") : List.of());
        }
    }

    /**
     * Writes one record in a transaction, stops the partition's only broker, ends the transaction
     * ({@code commit} or abort), restarts the broker, and asserts what Kafka 4.3 then does: the
     * coordinator has recorded the transaction complete, and the partition holds it open for good.
     */
    private static void leaveHanging(KafkaClusterTestKit cluster, Admin admin, String transactionalId, boolean commit)
            throws Exception {
        try (KafkaProducer<String, String> producer = transactionalProducer(cluster.bootstrapServers(), transactionalId)) {
            producer.initTransactions();
            int coordinator = leaderOf(admin, Topic.TRANSACTION_STATE_TOPIC_NAME).orElseThrow();
            int other = cluster.brokers().keySet().stream().filter(id -> id != coordinator).findFirst().orElseThrow();
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(other))))).all().get();
            await("the topic has its leader", () -> leaderOf(admin, TOPIC).isPresent());

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "operator-1", "a decision")).get();
            cluster.brokers().get(other).shutdown();
            cluster.brokers().get(other).awaitShutdown();
            await("the partition has no leader", () -> leaderOf(admin, TOPIC).isEmpty());

            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
            // Kafka before the Java metadata cache queued the marker until the partition had a
            // leader again, and the transaction stayed PrepareCommit/PrepareAbort meanwhile.
            TransactionState complete = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            await("the coordinator records the transaction complete without the partition's marker",
                    () -> transactionState(admin, transactionalId) == complete);

            cluster.brokers().get(other).startup();
            await("the partition has its leader again", () -> leaderOf(admin, TOPIC).isPresent());
            // A queued marker would arrive within a second or two of the leader's return, and the
            // coordinator aborts timed-out transactions every 10 s; neither can mend this, since
            // the coordinator no longer counts the partition in the transaction.
            Thread.sleep(Duration.ofSeconds(15).toMillis());

            assertThat(openTransactionStart(admin)).as("Kafka's defect: the transaction is still open on the partition")
                    .hasValue(0L);
            assertThat(offset(admin, IsolationLevel.READ_COMMITTED)).as("Kafka's defect: the last stable offset is stuck")
                    .isZero();
            assertThat(offset(admin, IsolationLevel.READ_UNCOMMITTED)).as("high watermark").isEqualTo(1L);
        }
    }

    /** What the embedded broker's watcher does every 10 s; two scans, since one sighting is not enough. */
    private static void endHangingTransactions(KafkaClusterTestKit cluster) throws Exception {
        try (HangingTransactions watcher = new HangingTransactions(cluster.bootstrapServers(), Duration.ZERO)) {
            watcher.scan();
            watcher.scan();
        }
    }

    private static KafkaClusterTestKit twoBrokers() throws Exception {
        return TestKitClusters.started(TestKitClusters.production(2, 1, false)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024))
                .build());
    }

    private static Admin admin(KafkaClusterTestKit cluster) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(p);
    }

    private static List<String> readCommitted(KafkaClusterTestKit cluster) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            // The last stable offset is past the marker (asserted before): read up to it.
            while (consumer.position(PARTITION) < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Optional<Integer> leaderOf(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        return Optional.ofNullable(description.partitions().get(0).leader()).filter(node -> !node.isEmpty()).map(node -> node.id());
    }

    private static TransactionState transactionState(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(Set.of(transactionalId)).all().get().get(transactionalId).state();
    }

    private static Optional<Long> openTransactionStart(Admin admin) throws Exception {
        List<ProducerState> producers = admin.describeProducers(Set.of(PARTITION)).partitionResult(PARTITION).get().activeProducers();
        return producers.stream().map(ProducerState::currentTransactionStartOffset)
                .filter(start -> start.isPresent()).map(start -> (long) start.getAsLong()).findFirst();
    }

    private static long offset(Admin admin, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(PARTITION).get().offset();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }
}
