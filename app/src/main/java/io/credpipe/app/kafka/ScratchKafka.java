package io.credpipe.app.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded broker in a temporary directory that is deleted when it is closed: what a benchmark
 * needs, so that it measures an empty cluster and leaves nothing behind.
 */
public final class ScratchKafka implements AutoCloseable {

    private final Path directory;
    private final EmbeddedKafka kafka;

    private ScratchKafka(Path directory, EmbeddedKafka kafka) {
        this.directory = directory;
        this.kafka = kafka;
    }

    /** Starts a broker in a new temporary directory named after {@code prefix}. */
    public static ScratchKafka start(String prefix) throws IOException {
        return start(prefix, 1);
    }

    /** Starts {@code brokers} brokers ({@link EmbeddedKafka#startCluster}) in a new temporary directory named after {@code prefix}. */
    public static ScratchKafka start(String prefix, int brokers) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        try {
            return new ScratchKafka(directory, EmbeddedKafka.startCluster(directory.resolve("kafka"), brokers));
        } catch (RuntimeException e) {
            delete(directory);
            throw e;
        }
    }

    /** Where clients connect. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A directory beside the broker's data for the benchmark's own state (Streams state, keys). */
    public Path workDirectory() {
        return directory.resolve("work");
    }

    @Override
    public void close() {
        kafka.close();
        delete(directory);
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
