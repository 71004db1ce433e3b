package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.FrameworkCatalogue;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import io.credpipe.model.framework.FrameworkId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frameworks of the global store, which holds the {@code frameworks} records as raw bytes.
 * Reading a framework costs a JSON parse, so each processor keeps the parsed frameworks and parses
 * again only when the stored bytes change. A record that does not read (the topic is written by
 * ingest, which validates, but is not ours) counts as not loaded and is logged once per version.
 */
final class StoredFrameworkCatalogue implements FrameworkCatalogue {

    private static final Logger LOG = LoggerFactory.getLogger(StoredFrameworkCatalogue.class);
    /** Far more frameworks than an organisation has versions in use; bounds memory if one has more. */
    private static final int CACHED_FRAMEWORKS = 256;

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final FrameworkFormat format = new FrameworkFormat();
    private final Map<String, Parsed> parsed = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > CACHED_FRAMEWORKS;
        }
    };

    StoredFrameworkCatalogue(ReadOnlyKeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public Optional<Framework> find(FrameworkId id) {
        String key = id.toString();
        byte[] bytes = store.get(key);
        if (bytes == null) {
            return Optional.empty();
        }
        Parsed cached = parsed.get(key);
        if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
            return cached.framework();
        }
        Optional<Framework> framework = read(id, bytes);
        parsed.put(key, new Parsed(bytes, framework));
        return framework;
    }

    /** The ids of every framework record in the store, readable or not. */
    List<String> ids() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> ids.add(entry.key));
        }
        return ids;
    }

    private Optional<Framework> read(FrameworkId id, byte[] bytes) {
        try {
            Framework framework = format.read("frameworks/" + id, bytes);
            if (!framework.id().equals(id)) {
                LOG.warn("frameworks record keyed {} holds framework {}; treating {} as not loaded", id, framework.id(), id);
                return Optional.empty();
            }
            return Optional.of(framework);
        } catch (FrameworkFormatException e) {
            LOG.warn("frameworks record {} does not read, treating it as not loaded: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    private record Parsed(byte[] bytes, Optional<Framework> framework) {}
}
