package io.credpipe.topics.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a Kafka Streams application whose process was killed start again when it has persistent
 * global stores under {@code exactly_once_v2}.
 *
 * <p>Since Kafka 4.3 a RocksDB store records "open" in its offsets column family while it is open
 * and "closed" when it is closed. Under exactly-once, a store found "open" at start (the process
 * died without closing it) is treated as corrupted: a stream task's store is wiped and restored
 * from its changelog, but the global stream thread does not handle that exception and dies, so the
 * client goes to ERROR, and every restart dies on the same directory (KAFKA-21034, not fixed in
 * 4.3.1). Found by {@code SplitDeploymentKillIT}: a SIGKILLed issuer could not be restarted once
 * its global stores had been flushed (after ~10,000 records).
 *
 * <p>A global store is a copy of its source topic and is rebuilt from it, so deleting the global
 * state directory of a run that did not close loses nothing. A marker file beside the
 * application's state directory tells: written before the client starts, removed after it closed
 * within its timeout.
 */
public final class GlobalStateAfterCrash {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalStateAfterCrash.class);

    private final Path marker;
    private final Path globalState;

    /**
     * @param stateDir the client's {@code state.dir}
     * @param applicationId its {@code application.id}: Kafka Streams keeps the global stores in
     *     {@code <state.dir>/<application.id>/global}
     */
    public GlobalStateAfterCrash(Path stateDir, String applicationId) {
        this.marker = stateDir.resolve(applicationId + ".running");
        this.globalState = stateDir.resolve(applicationId).resolve("global");
    }

    /** Before the client starts: wipes the global stores if the last run did not close, then marks this one running. */
    public void beforeStart() {
        try {
            if (Files.exists(marker) && Files.exists(globalState)) {
                LOG.warn("the last run of {} did not stop cleanly; its global stores are rebuilt from their topics",
                        globalState.getParent().getFileName());
                deleteTree(globalState);
            }
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "a Kafka Streams client runs on this state directory; removed when it closes cleanly\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the global state directory " + globalState, e);
        }
    }

    /** After the client closed within its timeout: its stores are marked closed, so they are kept. */
    public void closedCleanly() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("cannot remove {}; the global stores will be rebuilt at the next start", marker, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
