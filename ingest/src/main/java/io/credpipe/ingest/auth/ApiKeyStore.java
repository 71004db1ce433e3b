package io.credpipe.ingest.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of HR sources and admins, kept in one JSON file with owner-only permissions.
 *
 * <p>A key is 256 bits from {@link SecureRandom}, shown once when created and stored only as its
 * SHA-256 digest. A fast, unsalted hash is enough here, unlike for passwords: a slow, salted KDF
 * exists to make guessing low-entropy secrets expensive, and guessing a 256-bit random key is
 * infeasible at any hash rate; the file alone never yields a usable key. Looking the digest up in a
 * map leaks no timing about the key: an attacker would need a preimage of SHA-256 to steer it.
 *
 * <p>The file is re-read when it changes, so a key created or revoked with {@code credpipe sources}
 * applies to a running server without a restart. Thread-safe.
 */
public final class ApiKeyStore implements Authenticator {

    /** The store's file name under the data directory. */
    public static final String FILE_NAME = "api-keys.json";

    /** What every key starts with, so that a leaked key is recognisable (e.g. by secret scanners). */
    public static final String KEY_PREFIX = "cpk_";

    /** Seconds a client is asked to wait while the key file is unreadable: an operator has to act. */
    static final int UNREADABLE_RETRY_AFTER_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = Json.newMapper();
    private static final TypeReference<List<StoredKey>> KEYS = new TypeReference<>() {};

    private final Path file;
    private final SecureRandom random;
    private final Clock clock;
    private static final Snapshot NONE = new Snapshot(null, -1, Map.of(), null);

    private Snapshot snapshot = NONE;
    /** The version of the file last found unreadable, so that it is reported once, not per request. */
    private Snapshot broken = NONE;

    /**
     * Opens (without yet reading) the store in {@code dataDir}.
     *
     * @param dataDir the data directory; the file is {@code dataDir/api-keys.json}
     */
    public ApiKeyStore(Path dataDir) {
        this(dataDir, new SecureRandom(), Clock.systemUTC());
    }

    ApiKeyStore(Path dataDir, SecureRandom random, Clock clock) {
        this.file = Objects.requireNonNull(dataDir, "dataDir").resolve(FILE_NAME);
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The file keys are kept in. */
    public Path file() {
        return file;
    }

    /**
     * Creates a key for a source.
     *
     * @param source the source's name: lower-case letters, digits, {@code .}, {@code _}, {@code -}; at most 64
     * @param admin  whether the key may also manage frameworks
     * @return the new key, the only time it is available in clear
     * @throws IllegalArgumentException if the name is not allowed or the source already has a key
     */
    public synchronized CreatedKey create(String source, boolean admin) {
        if (source == null || !SOURCE_NAME.matcher(source).matches()) {
            throw new IllegalArgumentException("a source name is 1 to 64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        Map<String, StoredKey> keys = new HashMap<>(reload().byDigest());
        if (keys.values().stream().anyMatch(k -> k.source().equals(source))) {
            throw new IllegalArgumentException("source " + source + " already has a key; revoke it first to replace it");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        StoredKey stored = new StoredKey(source, admin, digest(key), clock.instant());
        keys.put(stored.sha256(), stored);
        write(keys);
        return new CreatedKey(source, admin, key);
    }

    /**
     * Replaces a source's key, or creates the first one: the old key is refused from the next
     * request on. For rotation, and for a program that needs a key it can use now (e.g. the demo
     * on a data directory it used before).
     *
     * @param source the source's name
     * @param admin  whether the new key may also manage frameworks
     * @return the new key, the only time it is available in clear
     */
    public synchronized CreatedKey rotate(String source, boolean admin) {
        revoke(source);
        return create(source, admin);
    }

    /**
     * Revokes a source's key: requests with it are refused from the next request on.
     *
     * @return whether the source had a key
     */
    public synchronized boolean revoke(String source) {
        Map<String, StoredKey> keys = new HashMap<>(reload().byDigest());
        boolean removed = keys.values().removeIf(k -> k.source().equals(source));
        if (removed) {
            write(keys);
        }
        return removed;
    }

    /** The sources with a key, by name; never the keys. */
    public synchronized List<SourceKey> list() {
        List<SourceKey> sources = new ArrayList<>();
        for (StoredKey key : reload().byDigest().values()) {
            sources.add(new SourceKey(key.source(), key.admin(), key.createdAt()));
        }
        sources.sort((a, b) -> a.source().compareTo(b.source()));
        return sources;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ProblemException {@code 503 credentials-unavailable} with {@code Retry-After} while the
     *     key file exists but cannot be read or parsed (corrupt, emptied, unreadable): the store
     *     fails closed, with no key accepted, and says so to the client and, once per broken
     *     version of the file, in the log, instead of failing every request with a 500
     */
    @Override
    public Optional<Caller> authenticate(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        StoredKey key;
        synchronized (this) {
            Snapshot current;
            try {
                current = reload();
            } catch (UnreadableStore e) {
                throw new ProblemException(Problem.of("credentials-unavailable", "API keys unavailable", 503,
                        "the server cannot read its API key store; no key is accepted until an operator repairs it"),
                        Map.of("Retry-After", String.valueOf(UNREADABLE_RETRY_AFTER_SECONDS)));
            }
            key = current.byDigest().get(digest(apiKey));
        }
        return key == null ? Optional.empty() : Optional.of(new Caller(key.source(), key.admin()));
    }

    /** The current keys, re-read if the file changed since it was last read. */
    private Snapshot reload() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(snapshot.modified()) && size == snapshot.size()) {
                return snapshot;
            }
            if (modified.equals(broken.modified()) && size == broken.size()) {
                throw new UnreadableStore(file, broken.reason());
            }
            Map<String, StoredKey> keys = new HashMap<>();
            List<StoredKey> stored;
            try {
                stored = JSON.readValue(Files.readAllBytes(file), KEYS);
            } catch (IOException e) {
                // Jackson's message may quote the file; say only what kind of damage it is.
                String reason = size == 0 ? "the file is empty" : "it is not a JSON list of keys (" + e.getClass().getSimpleName() + ")";
                broken = new Snapshot(modified, size, Map.of(), reason);
                LOG.error("API key store {} cannot be read: {}; every request with a key is answered 503 until it is repaired "
                        + "(restore it from a backup, or remove it and create the keys again with credpipe sources create)", file, reason);
                throw new UnreadableStore(file, reason);
            }
            if (stored == null) {
                broken = new Snapshot(modified, size, Map.of(), "it holds JSON null");
                LOG.error("API key store {} cannot be read: it holds JSON null; every request with a key is answered 503", file);
                throw new UnreadableStore(file, broken.reason());
            }
            for (StoredKey key : stored) {
                if (key == null || key.sha256() == null || key.source() == null) {
                    broken = new Snapshot(modified, size, Map.of(), "an entry lacks its source or digest");
                    LOG.error("API key store {} cannot be read: an entry lacks its source or digest; every request with a key is "
                            + "answered 503", file);
                    throw new UnreadableStore(file, broken.reason());
                }
                keys.put(key.sha256(), key);
            }
            if (broken.modified() != null) {
                LOG.info("API key store {} is readable again", file);
                broken = NONE;
            }
            snapshot = new Snapshot(modified, size, Map.copyOf(keys), null);
        } catch (NoSuchFileException e) {
            snapshot = NONE;
        } catch (IOException e) {
            throw new UnreadableStore(file, e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return snapshot;
    }

    /** Writes a temporary file with owner-only permissions and moves it over the store atomically. */
    private void write(Map<String, StoredKey> keys) {
        List<StoredKey> sorted = new ArrayList<>(keys.values());
        sorted.sort((a, b) -> a.source().compareTo(b.source()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temporary);
            }
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sorted));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API key store " + file, e);
        }
        snapshot = NONE;
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /**
     * A key just created.
     *
     * @param source the source it belongs to
     * @param admin  whether it may manage frameworks
     * @param key    the key in clear; show it once, never log it
     */
    public record CreatedKey(String source, boolean admin, String key) {
        /** Hides the key, so that logging the record by mistake does not leak it. */
        @Override
        public String toString() {
            return "CreatedKey[source=" + source + ", admin=" + admin + "]";
        }
    }

    /**
     * A source that has a key, without the key.
     *
     * @param source    the source
     * @param admin     whether its key may manage frameworks
     * @param createdAt when the key was created
     */
    public record SourceKey(String source, boolean admin, Instant createdAt) {}

    /** One key as the file holds it: its SHA-256 digest, in hex. */
    record StoredKey(String source, boolean admin, String sha256, Instant createdAt) {}

    private record Snapshot(FileTime modified, long size, Map<String, StoredKey> byDigest, String reason) {}

    /**
     * The key file exists but cannot be used. Unchecked so that {@code credpipe sources} fails with
     * this message rather than overwrite a file it could not read.
     */
    public static final class UnreadableStore extends UncheckedIOException {

        private static final long serialVersionUID = 1L;

        UnreadableStore(Path file, String reason) {
            super("cannot read the API key store " + file + ": " + reason, new IOException(reason));
        }
    }
}
