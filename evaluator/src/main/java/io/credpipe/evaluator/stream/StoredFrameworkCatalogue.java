package io.credpipe.evaluator.stream;

import io.credpipe.evaluator.rule.FrameworkCatalogue;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import io.credpipe.model.framework.FrameworkId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frameworks of the global store, which holds the {@code frameworks} records as raw bytes. A
 * record that does not read (the topic is written by ingest, which validates, but is not ours)
 * counts as not loaded and is logged once per version.
 *
 * <p>Finding a framework is done for every event, and both a store lookup and a JSON parse showed
 * in the evaluator's profile. So the catalogue keeps the parsed frameworks, and parses again only
 * when the stored bytes change. Given the store's {@link FrameworkWrites}, it also keeps what it
 * looked up, absent frameworks included, and looks again only once the store was written since, or
 * at the latest after {@link #RECHECK}: the global store can also be rebuilt from the topic without
 * its writer (when the global thread's offsets are reset), which no count sees. Without one, it
 * looks up the store on every call.
 */
final class StoredFrameworkCatalogue implements FrameworkCatalogue {

    /** The longest a catalogue with a write count goes without looking at the store again. */
    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final long RECHECK_NANOS = RECHECK.toNanos();
    private static final Logger LOG = LoggerFactory.getLogger(StoredFrameworkCatalogue.class);
    /** Far more frameworks than an organisation has versions in use; bounds memory if one has more. */
    private static final int CACHED_FRAMEWORKS = 256;

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final FrameworkWrites writes;
    private final LongSupplier nanoTime;
    private final FrameworkFormat format = new FrameworkFormat();
    private final Map<FrameworkId, Parsed> parsed = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<FrameworkId, Parsed> eldest) {
            return size() > CACHED_FRAMEWORKS;
        }
    };
    /** The frameworks looked up since the store was last seen to change. */
    private final Set<FrameworkId> current = new HashSet<>();
    private long seenWrites = -1;
    private long checkedAt;

    /** A catalogue that looks up the store on every call, for one-off reads. */
    StoredFrameworkCatalogue(ReadOnlyKeyValueStore<String, byte[]> store) {
        this(store, null, System::nanoTime);
    }

    /**
     * A catalogue that looks up the store again only after {@code writes} moved or {@link #RECHECK}
     * passed on {@code nanoTime}.
     */
    StoredFrameworkCatalogue(ReadOnlyKeyValueStore<String, byte[]> store, FrameworkWrites writes, LongSupplier nanoTime) {
        this.store = store;
        this.writes = writes;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Framework> find(FrameworkId id) {
        if (mayHaveChanged()) {
            current.clear();
        }
        Parsed cached = parsed.get(id);
        if (cached != null && current.contains(id)) {
            return cached.framework();
        }
        byte[] bytes = store.get(id.toString());
        current.add(id);
        if (bytes == null) {
            parsed.put(id, Parsed.ABSENT);
            return Optional.empty();
        }
        if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
            return cached.framework();
        }
        Optional<Framework> framework = read(id, bytes);
        parsed.put(id, new Parsed(bytes, framework));
        return framework;
    }

    private boolean mayHaveChanged() {
        if (writes == null) {
            return true;
        }
        long count = writes.count();
        long now = nanoTime.getAsLong();
        if (count != seenWrites || now - checkedAt >= RECHECK_NANOS) {
            seenWrites = count;
            checkedAt = now;
            return true;
        }
        return false;
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

    private record Parsed(byte[] bytes, Optional<Framework> framework) {
        static final Parsed ABSENT = new Parsed(null, Optional.empty());
    }
}
