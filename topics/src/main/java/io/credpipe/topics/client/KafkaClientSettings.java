package io.credpipe.topics.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How every Kafka client of a credpipe process reaches its cluster: the bootstrap servers and the
 * operator's client settings (TLS, SASL, timeouts …) from a {@code --kafka-config} properties file,
 * the format Kafka's own tools take with {@code --command-config}. Every producer, consumer, admin
 * client and Kafka Streams instance is built from {@link #client(Map)}, so a setting reaches all of
 * them or none.
 *
 * <p>Settings credpipe's guarantees rest on (exactly-once, idempotent writes, read-committed reads,
 * its group and client ids, serdes, error handlers) are refused, not silently overridden: a file that
 * turned idempotence off would break the "never issued twice" promise without a word. Values are
 * secrets (JAAS configs, key-store passwords), so {@link #toString()} shows keys only, and errors
 * name keys, never values.
 *
 * @param bootstrapServers the cluster, e.g. {@code broker1:9093,broker2:9093}
 * @param settings the further client settings, already checked
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> settings) {

    /** Settings credpipe sets itself for correctness or identity; a file may not set them. */
    static final Set<String> OWNED = Set.of(
            "bootstrap.servers",
            "client.id", "group.id", "group.instance.id", "application.id", "transactional.id",
            "enable.idempotence", "acks", "retries", "max.in.flight.requests.per.connection",
            "isolation.level", "processing.guarantee", "enable.auto.commit", "auto.offset.reset",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "default.key.serde", "default.value.serde", "partitioner.class",
            "state.dir", "topology.optimization", "rocksdb.config.setter",
            "processing.exception.handler.global.enabled");

    /**
     * Kafka Streams' per-client prefixes: a file's settings go to every client alike, so a setting
     * meant for one kind of client only has no place in it.
     */
    private static final List<String> CLIENT_PREFIXES = List.of(
            "producer.", "consumer.", "main.consumer.", "restore.consumer.", "global.consumer.", "admin.", "topic.");

    /** Every setting some Kafka client (producer, consumer, admin, Streams) knows. */
    private static final Set<String> KNOWN = known();

    /** Checks and copies the settings. */
    public KafkaClientSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        settings = Map.copyOf(settings);
        settings.keySet().forEach(KafkaClientSettings::check);
    }

    /** Plain connections to {@code bootstrapServers}: the embedded broker, or a cluster that needs nothing more. */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of());
    }

    /**
     * The settings of a Java properties file for the cluster at {@code bootstrapServers}.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds a setting credpipe
     *     owns or no Kafka client knows; the message names the file and the key, not the value
     */
    public static KafkaClientSettings load(String bootstrapServers, Path file) {
        Properties properties = new Properties();
        // ISO-8859-1 with \\u escapes, as Properties and Kafka's own tools read such files.
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key.trim(), properties.getProperty(key).trim()));
        try {
            return new KafkaClientSettings(bootstrapServers, settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static void check(String key) {
        if (key.equals("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap.servers is given with --bootstrap-servers, not in the file");
        }
        if (OWNED.contains(key) || key.endsWith("exception.handler")) {
            throw new IllegalArgumentException(key + " is set by credpipe itself (its exactly-once and"
                    + " idempotence guarantees, group and client ids and serdes depend on it) and cannot be overridden");
        }
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                throw new IllegalArgumentException(key + ": settings go to every Kafka client alike;"
                        + " per-client prefixes such as " + prefix + " are not taken");
            }
        }
        if (!KNOWN.contains(key)) {
            throw new IllegalArgumentException(key + " is not a setting of Kafka's producer, consumer, admin or Streams clients");
        }
    }

    private static Set<String> known() {
        Set<String> names = new TreeSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(names);
    }

    /**
     * The configuration of one client: the bootstrap servers, then the file's settings, then
     * {@code own}, the client's own settings, which win where both name a key (a key credpipe owns
     * cannot be in the file at all).
     */
    public Map<String, Object> client(Map<String, ?> own) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(own);
        return config;
    }

    /** {@link #client(Map)} as {@link Properties}, which Kafka Streams takes. */
    public Properties properties(Map<String, ?> own) {
        Properties properties = new Properties();
        properties.putAll(client(own));
        return properties;
    }

    /** Whether the file gave any setting. */
    public boolean hasSettings() {
        return !settings.isEmpty();
    }

    /** The bootstrap servers and the names of the settings; values can be secrets and are never shown. */
    @Override
    public String toString() {
        return "KafkaClientSettings[bootstrapServers=" + bootstrapServers + ", settings="
                + new TreeMap<>(settings).keySet() + "]";
    }
}
