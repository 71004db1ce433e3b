package io.credpipe.evaluator.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options of the evaluator's stores ({@code rocksdb.config.setter}): the event index
 * ({@link EvaluatorTopology#EVENTS_STORE}) keeps a Bloom filter in every level and in its memtables.
 *
 * <p>Kafka Streams tunes every store for lookups that find their key: {@code optimize_filters_for_hits}
 * leaves the last level, which holds most keys, without a filter. The event index is the opposite
 * case. Every new event is looked up before it is accepted, and almost every lookup is of an id it
 * does not hold; without a filter each such miss searched the memtables and read a data block of
 * the last level. With filters at every level, and a whole-key filter over the memtables, a miss
 * mostly ends at the filters. The filters cost about ten bits per key of memory and of each flush.
 * Every other store keeps Kafka Streams' defaults.
 */
public final class EventIndexOptions implements RocksDBConfigSetter {

    /** Share of each memtable given to its Bloom filter (RocksDB suggests at most 0.25). */
    static final double MEMTABLE_FILTER_RATIO = 0.1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (storeName.equals(EvaluatorTopology.EVENTS_STORE)) {
            setConfig(options);
        }
    }

    /** The event index's options. */
    static void setConfig(Options options) {
        options.setOptimizeFiltersForHits(false);
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was allocated: the options above are plain values.
    }
}
