package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;

/**
 * Lookups that miss end at Bloom filters, on a real RocksDB opened with Kafka Streams' filter settings
 * and then this setter's: in the event index's memtables and last level, and in progress's memtables.
 */
class EvaluatorStoreOptionsTest {

    private static final int KEYS = 2_000;

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void missesInTheLastLevelAreAnsweredByItsFilter(@TempDir Path dir) throws RocksDBException {
        assertThat(lastLevelMissesFiltered(dir.resolve("default"), false))
                .as("Kafka Streams' default leaves the last level without a filter").isZero();
        assertThat(lastLevelMissesFiltered(dir.resolve("index"), true))
                .as("nearly every miss filtered (a 10-bit filter lets about 1 %% through)").isGreaterThan(KEYS * 95L / 100);
    }

    @Test
    void missesInTheMemtablesOfTheIndexAndOfProgressAreAnsweredByTheirFilter(@TempDir Path dir) throws RocksDBException {
        assertThat(memtableMissesFiltered(dir.resolve("default"), null)).as("Kafka Streams' default has no memtable filter")
                .isZero();
        for (String store : new String[] {EvaluatorTopology.EVENTS_STORE, EvaluatorTopology.PROGRESS_STORE}) {
            assertThat(memtableMissesFiltered(dir.resolve(store), store)).as(store).isGreaterThan(KEYS * 95L / 100);
        }
    }

    /** Misses answered by the memtable's filter while every key is still in the memtable; {@code null}: no setter. */
    private static long memtableMissesFiltered(Path dir, String store) throws RocksDBException {
        try (Statistics statistics = new Statistics(); Options options = kafkaStreamsDefaults(statistics)) {
            if (store != null) {
                new EvaluatorStoreOptions().setConfig(store, options, Map.of());
            }
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                fill(db);
                db.setPerfLevel(PerfLevel.ENABLE_COUNT);
                PerfContext perf = db.getPerfContext();
                perf.reset();
                for (int i = 0; i < KEYS; i++) {
                    assertThat(db.get(absent(i))).isNull();
                }
                return perf.getBloomMemtableMissCount();
            }
        }
    }

    @Test
    void progressKeepsKafkaStreamsFilterSettingsInItsFiles() {
        try (Statistics statistics = new Statistics(); Options options = kafkaStreamsDefaults(statistics)) {
            new EvaluatorStoreOptions().setConfig(EvaluatorTopology.PROGRESS_STORE, options, Map.of());

            assertThat(options.optimizeFiltersForHits()).as("its lookups find their key in the files").isTrue();
        }
    }

    @Test
    void everyOtherStoreKeepsKafkaStreamsSettings() {
        for (String store : new String[] {EvaluatorTopology.APPLIED_POLICIES_STORE, EvaluatorTopology.LEDGER_MARKS_STORE,
                EvaluatorTopology.FRAMEWORKS_STORE}) {
            try (Statistics statistics = new Statistics(); Options options = kafkaStreamsDefaults(statistics)) {
                new EvaluatorStoreOptions().setConfig(store, options, Map.of());

                assertThat(options.optimizeFiltersForHits()).as(store).isTrue();
                assertThat(options.memtablePrefixBloomSizeRatio()).as(store).isZero();
            }
        }
    }

    /** Misses answered by a filter after every key was compacted into the last level. */
    private static long lastLevelMissesFiltered(Path dir, boolean eventIndexOptions) throws RocksDBException {
        try (Statistics statistics = new Statistics(); Options options = kafkaStreamsDefaults(statistics)) {
            if (eventIndexOptions) {
                new EvaluatorStoreOptions().setConfig(EvaluatorTopology.EVENTS_STORE, options, Map.of());
            }
            try (RocksDB db = RocksDB.open(options, dir.toString()); FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                fill(db);
                db.flush(flush);
                db.compactRange();
                long before = statistics.getTickerCount(TickerType.BLOOM_FILTER_USEFUL);
                for (int i = 0; i < KEYS; i++) {
                    assertThat(db.get(absent(i))).isNull();
                }
                return statistics.getTickerCount(TickerType.BLOOM_FILTER_USEFUL) - before;
            }
        }
    }

    /** The filter settings Kafka Streams gives every persistent store before the config setter runs. */
    private static Options kafkaStreamsDefaults(Statistics statistics) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter());
        return new Options().setCreateIfMissing(true).setStatistics(statistics).setTableFormatConfig(table)
                .setOptimizeFiltersForHits(true);
    }

    private static void fill(RocksDB db) throws RocksDBException {
        for (int i = 0; i < KEYS; i++) {
            db.put(key("event", i), new byte[] {1});
        }
    }

    private static byte[] key(String kind, int i) {
        return ("5:acme1|" + kind + "-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** An id the index does not hold, between two it does: a lookup outside a file's key range reads no filter. */
    private static byte[] absent(int i) {
        return ("5:acme1|event-" + i + "-resent").getBytes(StandardCharsets.UTF_8);
    }
}
