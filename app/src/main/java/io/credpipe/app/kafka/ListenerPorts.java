package io.credpipe.app.kafka;

import io.credpipe.app.net.FreePort;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The ports an embedded broker listens on, kept in its data directory so that a restart binds the
 * same ones again.
 *
 * <p>A broker restarted on new ports stays registered under its old ones until its new
 * registration reaches the metadata log, and its transaction coordinator meanwhile sends the
 * markers that end a killed producer's open transaction to the old address, retrying until the
 * registration changes. Measured here: 3 of 4 {@code KillRestartIT} runs left a transaction hanging
 * after a {@code kill -9} while each start took new ports, 3 of 22 once ports were kept. The loss
 * itself is Kafka's: a marker for a partition without a leader at that moment is dropped
 * ({@link HangingTransactions}, which ends such transactions); the longer a restart takes to be
 * reachable, the more markers meet that moment.
 *
 * <p>A recorded port that another process has taken since is replaced by a free one: that start
 * risks the above again, which the log says.
 */
final class ListenerPorts {

    /** The file, under the broker's data directory. */
    static final String FILE = "credpipe-listener-ports.properties";

    private final int controller;
    private final int[] brokers;

    private ListenerPorts(int controller, int[] brokers) {
        this.controller = controller;
        this.brokers = brokers;
    }

    /**
     * The ports recorded in {@code dataDir} that are still free, new free ones for the rest, and
     * records them.
     *
     * @param dataDir the embedded Kafka's data directory (created if missing)
     * @param brokers how many brokers
     * @param replaced called with a description of each recorded port that had to be replaced
     */
    static ListenerPorts keep(Path dataDir, int brokers, Consumer<String> replaced) {
        Path file = dataDir.resolve(FILE);
        Properties recorded = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                recorded.load(in);
            } catch (IOException | IllegalArgumentException e) {
                replaced.accept("the recorded ports in " + file + " cannot be read (" + e.getMessage() + ")");
                recorded.clear();
            }
        }
        int controller = port(recorded, "controller", replaced);
        int[] brokerPorts = new int[brokers];
        for (int i = 0; i < brokers; i++) {
            int port;
            do {
                port = port(recorded, "broker." + (i + 1), replaced);
                recorded.remove("broker." + (i + 1));
            } while (port == controller || contains(brokerPorts, i, port));
            brokerPorts[i] = port;
        }
        Properties now = new Properties();
        now.setProperty("controller", Integer.toString(controller));
        for (int i = 0; i < brokers; i++) {
            now.setProperty("broker." + (i + 1), Integer.toString(brokerPorts[i]));
        }
        try {
            Files.createDirectories(dataDir);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                now.store(out, "ports of the embedded Kafka, bound again at the next start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the embedded Kafka's ports in " + file, e);
        }
        return new ListenerPorts(controller, brokerPorts);
    }

    private static int port(Properties recorded, String name, Consumer<String> replaced) {
        String value = recorded.getProperty(name);
        if (value != null) {
            try {
                int port = Integer.parseInt(value.strip());
                if (port > 0 && port < 65536 && FreePort.isFree(port)) {
                    return port;
                }
                replaced.accept("the " + name + " port " + port + " of the last start is taken");
            } catch (NumberFormatException e) {
                replaced.accept("the recorded " + name + " port is not a number");
            }
        }
        return FreePort.onLoopback();
    }

    private static boolean contains(int[] ports, int upTo, int port) {
        for (int i = 0; i < upTo; i++) {
            if (ports[i] == port) {
                return true;
            }
        }
        return false;
    }

    int controller() {
        return controller;
    }

    /** The port of broker {@code n}, counting from 1. */
    int broker(int n) {
        return brokers[n - 1];
    }
}
