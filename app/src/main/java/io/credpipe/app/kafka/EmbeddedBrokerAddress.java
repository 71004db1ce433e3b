package io.credpipe.app.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the embedded broker of a running {@code credpipe run} listens, recorded in its data
 * directory for the commands that reach the same pipeline from another process
 * ({@code credpipe links}). The broker binds a new free port at each start, so the address is
 * written at start and removed at stop.
 */
public final class EmbeddedBrokerAddress implements AutoCloseable {

    /** The file, under the data directory. */
    static final String FILE = "embedded-kafka";

    private final Path file;

    private EmbeddedBrokerAddress(Path file) {
        this.file = file;
    }

    /** Records {@code bootstrapServers} in {@code dataDir}; closing the result removes it. */
    public static EmbeddedBrokerAddress record(Path dataDir, String bootstrapServers) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.writeString(file, bootstrapServers + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the embedded broker's address in " + file, e);
        }
        return new EmbeddedBrokerAddress(file);
    }

    /** The address a running pipeline on {@code dataDir} recorded, if one runs. */
    public static Optional<String> of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
