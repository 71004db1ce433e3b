package io.credpipe.evaluator.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global frameworks store equal to the compacted {@code frameworks} topic: the latest record
 * per framework id, raw, a tombstone removing it. Raw bytes, because a record that does not read must
 * not stop the global thread; {@link StoredFrameworkCatalogue} reads them. Each write is counted in
 * {@link FrameworkWrites}, which tells the catalogues to read the store again.
 */
final class FrameworkStoreWriter implements Processor<String, byte[], Void, Void> {

    private final FrameworkWrites writes;
    private KeyValueStore<String, byte[]> store;

    FrameworkStoreWriter(FrameworkWrites writes) {
        this.writes = writes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(EvaluatorTopology.FRAMEWORKS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        writes.recorded();
    }
}
