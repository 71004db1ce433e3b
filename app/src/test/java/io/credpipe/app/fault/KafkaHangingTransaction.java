package io.credpipe.app.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The one failure of an unclean-stop test that is Kafka's, not credpipe's: after the embedded
 * broker's unclean stop, its coordinator records a transaction complete although only some of its
 * markers arrived, and the rest hangs (docs/reliability.md, "transactions that never end"; Kafka
 * 4.3.1, not yet reported upstream). credpipe then logs "a transaction hangs on …" and leaves it,
 * since aborting could lose committed records. A test that fails while that line is in its node
 * logs is reported as aborted with the line, never as passed; any other failure fails it.
 */
final class KafkaHangingTransaction {

    /** What a test does, throwing its assertion failures. */
    interface Run {
        void run() throws Exception;
    }

    private KafkaHangingTransaction() {}

    static void abortIfItStruck(Path logs, Run test) throws Exception {
        try {
            test.run();
        } catch (AssertionError failure) {
            List<String> hanging = hangingLines(logs);
            if (hanging.isEmpty()) {
                throw failure;
            }
            String reason = "Kafka left a transaction hanging after the unclean stop (" + hanging.size()
                    + " partitions), the known Kafka defect in docs/reliability.md: " + hanging.get(0)
                    + "\nThe test's own failure: " + failure.getMessage();
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    private static List<String> hangingLines(Path logs) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(f -> f.getFileName().toString().matches("run-\\d+\\.log")).sorted()
                    .flatMap(KafkaHangingTransaction::lines)
                    .filter(line -> line.contains("HangingTransactions") && line.contains("a transaction hangs on"))
                    .toList();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
