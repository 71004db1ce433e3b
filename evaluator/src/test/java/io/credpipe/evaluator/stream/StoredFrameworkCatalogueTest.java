package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A catalogue with the store's write count looks a framework up once, and again only after a write
 * or after {@link StoredFrameworkCatalogue#RECHECK}; one without looks it up on every call.
 */
class StoredFrameworkCatalogueTest {

    private static final List<Framework> SEEDS = SeedFrameworks.load();
    private static final Framework CHEMICAL = SEEDS.get(0);
    private static final Framework OTHER = SEEDS.get(1);
    private static final FrameworkId MISSING = new FrameworkId("51-8091.00", "1999");

    private final CountingStore store = new CountingStore();
    private final FrameworkWrites writes = new FrameworkWrites();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StoredFrameworkCatalogue catalogue = new StoredFrameworkCatalogue(store, writes, nanos::get);

    @Test
    void aFrameworkIsLookedUpOnceUntilTheStoreIsWritten() {
        store.put(CHEMICAL);

        for (int i = 0; i < 5; i++) {
            assertThat(catalogue.find(CHEMICAL.id())).contains(CHEMICAL);
            assertThat(catalogue.find(MISSING)).isEmpty();
        }
        assertThat(store.gets).as("one lookup each, the absent framework included").isEqualTo(2);

        store.put(OTHER.id().toString(), bytes(OTHER));
        store.remove(CHEMICAL.id().toString());
        writes.recorded();

        assertThat(catalogue.find(CHEMICAL.id())).as("removed").isEmpty();
        assertThat(catalogue.find(OTHER.id())).contains(OTHER);
        assertThat(store.gets).isEqualTo(4);
    }

    @Test
    void aStoreRebuiltWithoutItsWriterIsSeenAfterTheRecheckInterval() {
        store.put(CHEMICAL);
        assertThat(catalogue.find(CHEMICAL.id())).contains(CHEMICAL);

        // As when the global thread restores the store from the topic: no write is counted.
        store.put(CHEMICAL.id().toString(), "not a framework".getBytes(StandardCharsets.UTF_8));
        nanos.addAndGet(StoredFrameworkCatalogue.RECHECK.toNanos() - 1);
        assertThat(catalogue.find(CHEMICAL.id())).as("within the interval").contains(CHEMICAL);

        nanos.addAndGet(1);
        assertThat(catalogue.find(CHEMICAL.id())).as("after it: the record does not read").isEmpty();
    }

    @Test
    void unchangedBytesAreNotParsedAgainAfterAWrite() {
        store.put(CHEMICAL);
        Framework first = catalogue.find(CHEMICAL.id()).orElseThrow();

        store.put(CHEMICAL);
        writes.recorded();

        assertThat(catalogue.find(CHEMICAL.id()).orElseThrow()).isSameAs(first);
        assertThat(store.gets).isEqualTo(2);
    }

    @Test
    void withoutAWriteCountEveryCallLooksTheStoreUp() {
        StoredFrameworkCatalogue uncounted = new StoredFrameworkCatalogue(store);
        store.put(CHEMICAL);
        assertThat(uncounted.find(CHEMICAL.id())).contains(CHEMICAL);

        store.remove(CHEMICAL.id().toString());

        assertThat(uncounted.find(CHEMICAL.id())).isEmpty();
        assertThat(store.gets).isEqualTo(2);
    }

    private static byte[] bytes(Framework framework) {
        return Topics.FRAMEWORKS.valueSerde().serializer().serialize(Topics.FRAMEWORKS.name(), framework);
    }

    /** The global store's read side over a map, counting lookups. */
    private static final class CountingStore implements ReadOnlyKeyValueStore<String, byte[]> {
        private final Map<String, byte[]> records = new HashMap<>();
        int gets;

        void put(Framework framework) {
            put(framework.id().toString(), bytes(framework));
        }

        void put(String key, byte[] value) {
            records.put(key, value);
        }

        void remove(String key) {
            records.remove(key);
        }

        @Override
        public byte[] get(String key) {
            gets++;
            return records.get(key);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(String from, String to) {
            throw new UnsupportedOperationException("not read by the catalogue's lookups");
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            throw new UnsupportedOperationException("not read by the catalogue's lookups");
        }

        @Override
        public long approximateNumEntries() {
            return records.size();
        }
    }
}
