package io.credpipe.app.command;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where Kafka is and where local state lives; shared by every command that runs services. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "An existing Kafka cluster. Without it, a single-node Kafka runs in-process with data in <data-dir>/kafka.")
    String bootstrapServers;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Embedded Kafka data, Kafka Streams state and the issuer's keys (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of the topics created at start (default: ${DEFAULT-VALUE}); existing topics are kept as they are.")
    int partitions;

    Optional<String> bootstrapServers() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }
}
