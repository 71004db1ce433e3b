package io.credpipe.topics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * A Kafka Streams client with a persistent global store under {@code exactly_once_v2}, whose
 * process died with the store open: what a {@code kill -9} leaves once RocksDB has flushed the
 * store's "open" status (the issuer's did after ~10,000 records in {@code SplitDeploymentKillIT}).
 * The crash is reproduced on disk: after a run, the store's status is set back to open, as the
 * killed process left it, and the run's marker stays.
 */
@ExtendWith(RealKafka.class)
class GlobalStateAfterCrashIT {

    private static final String STORE = "things-global";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void kafkaStreamsAloneDiesAtEveryStartOnAGlobalStoreLeftOpen(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueName("things");
        String applicationId = KafkaBroker.uniqueName("crashed");
        seed(kafka, topic);
        runAndCrash(kafka, topic, applicationId);

        // KAFKA-21034: when a Kafka release wipes the global state itself, this fails, and
        // GlobalStateAfterCrash can go. The failed start leaves the directory as it was, so the
        // next start (an orchestrator's restart) fails the same way.
        for (int start = 1; start <= 2; start++) {
            try (KafkaStreams again = streams(kafka, topic, applicationId)) {
                assertThatThrownBy(again::start).as("start %d", start).isInstanceOf(TaskCorruptedException.class)
                        .hasMessageContaining("-1_-1");
            }
        }
    }

    @Test
    void withTheGuardTheGlobalStoreIsRebuiltFromItsTopic(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueName("things");
        String applicationId = KafkaBroker.uniqueName("crashed");
        seed(kafka, topic);
        runAndCrash(kafka, topic, applicationId);

        GlobalStateAfterCrash guard = new GlobalStateAfterCrash(stateDir, applicationId);
        try (KafkaStreams again = streams(kafka, topic, applicationId)) {
            guard.beforeStart();
            again.start();
            awaitState(again, KafkaStreams.State.RUNNING);
            ReadOnlyKeyValueStore<String, String> store = again.store(
                    StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
            assertThat(store.approximateNumEntries()).isEqualTo(100);
            assertThat(store.get("k42")).isEqualTo("v42");
            assertThat(again.close(PATIENCE)).isTrue();
            guard.closedCleanly();
        }
        assertThat(stateDir.resolve(applicationId + ".running")).doesNotExist();
    }

    @Test
    void aCleanStopKeepsTheGlobalStore(KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueName("things");
        String applicationId = KafkaBroker.uniqueName("clean");
        seed(kafka, topic);
        GlobalStateAfterCrash guard = new GlobalStateAfterCrash(stateDir, applicationId);
        try (KafkaStreams first = streams(kafka, topic, applicationId)) {
            guard.beforeStart();
            first.start();
            awaitState(first, KafkaStreams.State.RUNNING);
            assertThat(first.close(PATIENCE)).isTrue();
            guard.closedCleanly();
        }
        Path store = storeDir(applicationId);
        Path keep = Files.writeString(store.resolve("kept-across-a-clean-stop"), "x");

        guard.beforeStart();
        assertThat(keep).exists();
        guard.closedCleanly();
    }

    /** Runs the client until its store holds the topic, closes it, then leaves on disk what a kill -9 leaves. */
    private void runAndCrash(KafkaBroker kafka, String topic, String applicationId) throws Exception {
        GlobalStateAfterCrash guard = new GlobalStateAfterCrash(stateDir, applicationId);
        try (KafkaStreams first = streams(kafka, topic, applicationId)) {
            guard.beforeStart();
            first.start();
            awaitState(first, KafkaStreams.State.RUNNING);
            assertThat(first.close(PATIENCE)).isTrue();
            // No closedCleanly(): the process "died" before it could say so.
        }
        markOpen(storeDir(applicationId));
    }

    /** Sets the store's status in its offsets column family to open (1), as a run that never closed it left it. */
    private static void markOpen(Path db) throws Exception {
        RocksDB.loadLibrary();
        List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, db.toString());
        }
        assertThat(families.stream().map(f -> new String(f, StandardCharsets.UTF_8))).contains("offsets");
        List<ColumnFamilyDescriptor> descriptors = families.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
            ColumnFamilyHandle offsets = handles.get(families.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList().indexOf("offsets"));
            byte[] status = rocks.get(offsets, "status".getBytes(StandardCharsets.UTF_8));
            assertThat(status).as("a closed store says so").isEqualTo(Serdes.Long().serializer().serialize(null, 0L));
            rocks.put(offsets, "status".getBytes(StandardCharsets.UTF_8), Serdes.Long().serializer().serialize(null, 1L));
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                rocks.flush(flush, handles);
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private Path storeDir(String applicationId) throws Exception {
        try (Stream<Path> files = Files.walk(stateDir.resolve(applicationId).resolve("global"))) {
            return files.filter(p -> p.getFileName().toString().equals(STORE) && Files.isDirectory(p)).findFirst().orElseThrow();
        }
    }

    private static void seed(KafkaBroker kafka, String topic) throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
        }
    }

    private KafkaStreams streams(KafkaBroker kafka, String topic, String applicationId) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(topic, Consumed.with(Serdes.String(), Serdes.String()), Materialized.as(STORE));
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return new KafkaStreams(builder.build(), properties);
    }

    private static void awaitState(KafkaStreams streams, KafkaStreams.State wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (streams.state() != wanted) {
            assertThat(System.nanoTime()).as("%s within %s, is %s", wanted, PATIENCE, streams.state()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
