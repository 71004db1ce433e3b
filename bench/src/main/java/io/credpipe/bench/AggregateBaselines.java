package io.credpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.evaluator.EvaluatorService;
import io.credpipe.evaluator.stream.EvaluatorStoreOptions;
import io.credpipe.evaluator.stream.EvaluatorTopology;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The raw Kafka Streams applications the evaluator is measured against, over the same
 * {@code assessments}: the plain aggregate (the baseline) and the aggregate plus the event index
 * idempotency needs (the contract floor). Both run exactly-once with the evaluator's commit interval
 * and poll time, and write their updates to {@value #OUTPUT}.
 */
final class AggregateBaselines {

    /** Where both write their per-operator state updates. */
    static final String OUTPUT = "bench-baseline-progress";
    /**
     * The floor's event index is stored as the evaluator's is: under its name, so that the evaluator's
     * RocksDB options ({@link EvaluatorStoreOptions}: Bloom filters for lookups that miss) apply to it.
     */
    private static final String FLOOR_INDEX = EvaluatorTopology.EVENTS_STORE;

    private final String bootstrapServers;
    private final Path workDir;

    AggregateBaselines(String bootstrapServers, Path workDir) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /**
     * The baseline: what any stateful Kafka Streams app of this data costs — read the event as JSON,
     * read-modify-write a small JSON state per operator (passed statements per framework, as bit masks),
     * publish the update.
     */
    KafkaStreams baseline(String applicationId) {
        ObjectMapper json = Json.newMapper();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.ASSESSMENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey()
                .aggregate(() -> new byte[0], (operatorId, value, state) -> aggregate(json, value, state),
                        state("bench-baseline-state"))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return new KafkaStreams(builder.build(), streamsProperties(applicationId, "baseline"));
    }

    /** The per-operator state store of an aggregate, persistent and cached as Kafka Streams' default. */
    private static Materialized<String, byte[], KeyValueStore<Bytes, byte[]>> state(String name) {
        return Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray());
    }

    /** Exactly-once with the evaluator's commit interval and poll time, state under {@code workDir/stateDir}. */
    private Properties streamsProperties(String applicationId, String stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve(stateDir).toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EvaluatorService.COMMIT_INTERVAL.toMillis());
        props.put(StreamsConfig.POLL_MS_CONFIG, EvaluatorService.POLL.toMillis());
        return props;
    }

    /**
     * The contract floor: the baseline plus the least that DESIGN.md's idempotency rule ("Events":
     * per ({@code source}, {@code eventId}) an exact re-send is a duplicate, the same id with other
     * content is refused) adds to any evaluator. Telling a re-send from a reused id needs each
     * accepted id with a digest of its content, kept as durably as the progress: a second persistent
     * store, changelogged, probed and written once per event. Everything else the evaluator does
     * beyond the baseline (every field validated, every assessment kept for retractions, decisions,
     * rejections) is left out, and the event is parsed once, so the floor is generous: no evaluator
     * that keeps the rule can be cheaper than it.
     */
    KafkaStreams contractFloor(String applicationId) {
        ObjectMapper json = Json.newMapper();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLOOR_INDEX), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled());
        builder.stream(Topics.ASSESSMENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .processValues(() -> new EventIndexing(json), FLOOR_INDEX)
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .aggregate(() -> new byte[0], (operatorId, assessment, state) -> aggregateIndexed(json, assessment, state),
                        state("bench-floor-state"))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties props = streamsProperties(applicationId, "floor");
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, EvaluatorStoreOptions.class);
        return new KafkaStreams(builder.build(), props);
    }

    /** Parses the event once, looks its (source, id) up in the index, records it, and passes on "statement result". */
    private static final class EventIndexing implements FixedKeyProcessor<String, byte[], String> {

        private final ObjectMapper json;
        private final MessageDigest sha256;
        private FixedKeyProcessorContext<String, String> context;
        private KeyValueStore<String, byte[]> index;

        EventIndexing(ObjectMapper json) {
            this.json = json;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void init(FixedKeyProcessorContext<String, String> context) {
            this.context = context;
            this.index = context.getStateStore(FLOOR_INDEX);
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            JsonNode event;
            try {
                event = json.readTree(record.value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String key = record.key() + "|" + event.path("source").asText() + ":" + event.path("eventId").asText();
            if (index.get(key) != null) {
                return; // a re-send: nothing changes
            }
            index.put(key, sha256.digest(record.value()));
            context.forward(record.withValue(event.path("statementId").asText("") + " " + event.path("result").asText("")));
        }
    }

    /** The baseline's state update, from "statement result" rather than the whole event. */
    private static byte[] aggregateIndexed(ObjectMapper json, String assessment, byte[] state) {
        int space = assessment.indexOf(' ');
        return withResult(json, state, assessment.substring(0, space), "pass".equals(assessment.substring(space + 1)));
    }

    private static byte[] aggregate(ObjectMapper json, byte[] value, byte[] state) {
        try {
            JsonNode event = json.readTree(value);
            return withResult(json, state, event.path("statementId").asText(null), "pass".equals(event.path("result").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state with the statement's bit set for a pass, cleared for a fail. */
    private static byte[] withResult(ObjectMapper json, byte[] state, String statementId, boolean passed) {
        try {
            ObjectNode progress = state.length == 0 ? json.createObjectNode() : (ObjectNode) json.readTree(state);
            Optional<StatementId> statement = StatementId.parse(statementId);
            if (statement.isPresent()) {
                String key = statement.get().framework() + "/" + statement.get().level().id();
                long mask = progress.path(key).asLong(0);
                long bit = 1L << (statement.get().position() - 1);
                mask = passed ? mask | bit : mask & ~bit;
                progress.put(key, mask);
            }
            return json.writeValueAsBytes(progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
