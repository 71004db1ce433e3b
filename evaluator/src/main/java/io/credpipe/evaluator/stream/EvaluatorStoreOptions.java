package io.credpipe.evaluator.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options of the evaluator's stores ({@code rocksdb.config.setter}): Bloom filters where
 * Kafka Streams leaves lookups without one.
 *
 * <p>Kafka Streams tunes every store for lookups that find their key in the files:
 * {@code optimize_filters_for_hits} leaves the last level, which holds most keys, without a filter,
 * and the memtables have none. Two of the evaluator's stores are looked up for every event and
 * mostly miss where Kafka Streams expects them to hit:
 * <ul>
 *   <li>the event index ({@link EvaluatorTopology#EVENTS_STORE}): nearly every lookup is of an id it
 *       does not hold. Without filters each miss searched the memtables' skip lists and read a data
 *       block of the last level; it gets a filter at every level and a whole-key memtable filter;
 *   <li>progress ({@link EvaluatorTopology#PROGRESS_STORE}): an operator's previous event has mostly
 *       been flushed from the memtables by the time the next arrives, so the lookup searched three
 *       skip lists for nothing before it reached the files (18 % of each lookup in the profile); it
 *       gets the whole-key memtable filter.
 * </ul>
 * The filters cost about ten bits per key of memory and of each flush. Every other store keeps
 * Kafka Streams' defaults.
 */
public final class EvaluatorStoreOptions implements RocksDBConfigSetter {

    /** Share of each memtable given to its Bloom filter (RocksDB suggests at most 0.25). */
    static final double MEMTABLE_FILTER_RATIO = 0.1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (storeName.equals(EvaluatorTopology.EVENTS_STORE)) {
            options.setOptimizeFiltersForHits(false);
            filterMemtables(options);
        } else if (storeName.equals(EvaluatorTopology.PROGRESS_STORE)) {
            filterMemtables(options);
        }
    }

    private static void filterMemtables(Options options) {
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was allocated: the options above are plain values.
    }
}
