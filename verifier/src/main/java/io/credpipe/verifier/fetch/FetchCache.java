package io.credpipe.verifier.fetch;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small in-memory cache of fetched public material (JWK sets, DID documents, status lists) that
 * honours the server's {@code Cache-Control} (RFC 9111 §5.2.2): a response is kept for its
 * {@code max-age}, at most {@link #MAX_AGE}, and not at all under {@code no-store} or
 * {@code no-cache} or without {@code max-age}, so a verifier never serves a revocation list longer
 * than its issuer allows. The least recently used entry makes room beyond {@link #MAX_ENTRIES}.
 * Thread-safe.
 */
public final class FetchCache {

    /** How many responses are kept at most. */
    public static final int MAX_ENTRIES = 256;

    /** The longest a response is kept, whatever its {@code max-age}. */
    public static final Duration MAX_AGE = Duration.ofHours(1);

    private static final Pattern MAX_AGE_DIRECTIVE = Pattern.compile("(?:^|,)\\s*max-age\\s*=\\s*\"?(\\d{1,10})\"?\\s*(?:,|$)");

    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Entry(byte[] body, Instant expires) {}

    /**
     * Creates an empty cache.
     *
     * @param clock what decides when an entry has expired
     */
    public FetchCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A fresh cached body for this request.
     *
     * @param uri    the URL
     * @param accept the Accept header it was fetched with
     * @return the body, or empty when none is cached or it has expired
     */
    public synchronized Optional<byte[]> get(URI uri, String accept) {
        String key = key(uri, accept);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.body().clone());
    }

    /**
     * Keeps a 200 response's body for as long as its headers allow, if at all.
     *
     * @param uri     the URL
     * @param accept  the Accept header it was fetched with
     * @param headers the response headers
     * @param body    the body
     */
    public synchronized void put(URI uri, String accept, HttpHeaders headers, byte[] body) {
        Optional<Duration> lifetime = lifetime(String.join(",", headers.allValues("Cache-Control")));
        if (lifetime.isPresent() && !lifetime.get().isZero()) {
            entries.put(key(uri, accept), new Entry(body.clone(), clock.instant().plus(lifetime.get())));
        }
    }

    /**
     * How long a response with this {@code Cache-Control} may be reused.
     *
     * @param cacheControl the header's value(s), comma-joined; empty for none
     * @return the lifetime, capped at {@link #MAX_AGE}; empty when it must not be stored or reused
     */
    static Optional<Duration> lifetime(String cacheControl) {
        String value = cacheControl.toLowerCase(Locale.ROOT);
        if (value.contains("no-store") || value.contains("no-cache")) {
            return Optional.empty();
        }
        Matcher maxAge = MAX_AGE_DIRECTIVE.matcher(value);
        if (!maxAge.find()) {
            return Optional.empty();
        }
        Duration age = Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
        return Optional.of(age.compareTo(MAX_AGE) > 0 ? MAX_AGE : age);
    }

    private static String key(URI uri, String accept) {
        return accept + " " + uri;
    }
}
