package io.credpipe.app.command;

import io.credpipe.topics.client.KafkaClientSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where Kafka is and where local state lives; shared by every command that runs services. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "An existing Kafka cluster. Without it, a single-node Kafka runs in-process with data in <data-dir>/kafka.")
    String bootstrapServers;

    @Option(names = KAFKA_CONFIG, paramLabel = "FILE",
            description = "Client settings for the --bootstrap-servers cluster (TLS, SASL …) as a Java properties file, "
                    + "the format of Kafka's own --command-config; they go to every Kafka client of the process.")
    Path kafkaConfig;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Embedded Kafka data, Kafka Streams state and the issuer's keys (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of the topics created at start (default: ${DEFAULT-VALUE}); existing topics are kept as they are.")
    int partitions;

    static final String KAFKA_CONFIG = "--kafka-config";

    Optional<String> bootstrapServers() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }

    /**
     * The existing cluster and its client settings, or empty for the embedded broker.
     *
     * @throws ParameterException when the settings file cannot be read or holds a setting credpipe
     *     owns, or is given without {@code --bootstrap-servers}
     */
    Optional<KafkaClientSettings> cluster(CommandSpec spec) {
        Optional<String> bootstrap = bootstrapServers();
        if (bootstrap.isEmpty()) {
            if (kafkaConfig != null) {
                // The embedded broker listens on loopback in plaintext: TLS or SASL settings cannot fit it.
                throw new ParameterException(spec.commandLine(), KAFKA_CONFIG + " needs --bootstrap-servers");
            }
            return Optional.empty();
        }
        return Optional.of(settings(spec, bootstrap.get(), kafkaConfig));
    }

    /** The settings of {@code file} (none when it is null) for {@code bootstrap}, as a command-line error when they are wrong. */
    static KafkaClientSettings settings(CommandSpec spec, String bootstrap, Path file) {
        try {
            return file == null ? KafkaClientSettings.plaintext(bootstrap) : KafkaClientSettings.load(bootstrap, file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), KAFKA_CONFIG + " " + e.getMessage());
        }
    }
}
