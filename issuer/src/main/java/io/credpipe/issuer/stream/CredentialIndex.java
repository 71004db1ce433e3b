package io.credpipe.issuer.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.topics.topic.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Every issued credential as every issuer instance sees it: a global store fed from the compacted
 * {@code credentials} topic, holding two key spaces in one RocksDB store.
 *
 * <ul>
 *   <li>{@code "c\0" + credentialId} → the {@link IssuedCredential} (JSON, as on the topic);</li>
 *   <li>{@code "o\0" + operatorId + "\0" + credentialId} → nothing: the operator index, read with a
 *       prefix scan over {@code "o\0" + operatorId + "\0"}. The trailing NUL keeps operator
 *       {@code a:E1} from matching {@code a:E12}; UTF-8 sorts it before every other character.</li>
 * </ul>
 *
 * <p>The index is derived data, so it cannot come from the topic itself: it is built by
 * {@link Updater}, which Kafka Streams also runs when it restores the store. Since KAFKA-7663
 * (Kafka 3.7), {@code StreamsBuilder#addGlobalStore} registers its processor for restoration
 * ({@code reprocessOnRestore}); in 4.3.1 {@code GlobalStateManagerImpl#initialize} calls
 * {@code reprocessState}, which feeds the topic through a fresh processor instead of copying raw
 * bytes into the store. Without that, a restored store would hold the topic's records under their
 * topic keys and no index.
 */
final class CredentialIndex {

    /** Separates the parts of a store key; not a character operator or credential ids contain. */
    static final char SEPARATOR = '\u0000';
    private static final String CREDENTIAL = "c" + SEPARATOR;
    private static final String OPERATOR = "o" + SEPARATOR;
    private static final byte[] PRESENT = new byte[0];
    private static final JsonFactory FIELDS = new JsonFactory();
    private static final Serde<IssuedCredential> VALUES = Topics.CREDENTIALS.valueSerde();

    private CredentialIndex() {}

    static String credentialKey(String credentialId) {
        return CREDENTIAL + credentialId;
    }

    static String operatorPrefix(String operatorId) {
        return OPERATOR + operatorId + SEPARATOR;
    }

    static String operatorKey(String operatorId, String credentialId) {
        return operatorPrefix(operatorId) + credentialId;
    }

    /** The credential with id {@code credentialId}. */
    static Optional<IssuedCredential> credential(ReadOnlyKeyValueStore<String, byte[]> store, String credentialId) {
        if (credentialId.indexOf(SEPARATOR) >= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(decode(store.get(credentialKey(credentialId))));
    }

    /** Every credential of {@code operatorId}, oldest first (issue time, then id). */
    static List<IssuedCredential> ofOperator(ReadOnlyKeyValueStore<String, byte[]> store, String operatorId) {
        if (operatorId.indexOf(SEPARATOR) >= 0) {
            return List.of();
        }
        String prefix = operatorPrefix(operatorId);
        List<IssuedCredential> credentials = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> keys = store.prefixScan(prefix, new StringSerializer())) {
            while (keys.hasNext()) {
                KeyValue<String, byte[]> entry = keys.next();
                credential(store, entry.key.substring(prefix.length())).ifPresent(credentials::add);
            }
        }
        credentials.sort(Comparator.comparing(IssuedCredential::issuedAt).thenComparing(IssuedCredential::credentialId));
        return credentials;
    }

    private static IssuedCredential decode(byte[] bytes) {
        return bytes == null ? null : VALUES.deserializer().deserialize(Topics.CREDENTIALS.name(), bytes);
    }

    /**
     * The {@code operatorId} of a credential record, read without decoding the rest: a record is
     * ~20 KB, nearly all of it the JWT, and {@code operatorId} comes before it. {@code null} for a
     * tombstone; a record without one is refused as {@link #decode} would refuse it.
     */
    static String operatorId(byte[] record) {
        if (record == null) {
            return null;
        }
        try (JsonParser parser = FIELDS.createParser(record)) {
            JsonToken start = parser.nextToken();
            if (start == null || start == JsonToken.VALUE_NULL) {
                return null;
            }
            if (start != JsonToken.START_OBJECT) {
                throw new SerializationException("a credentials record is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("operatorId") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new SerializationException("a credentials record is not valid JSON", e);
        }
        throw new SerializationException("a credentials record has no operatorId");
    }

    /**
     * Applies one record of {@code credentials} (its bytes, see {@link IssuerTopology}) to the store,
     * live and during restoration alike: a credential is stored and indexed under its operator; a
     * tombstone removes both entries.
     */
    static final class Updater implements Processor<String, byte[], Void, Void> {

        private final String storeName;
        private KeyValueStore<String, byte[]> store;

        Updater(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String credentialId = record.key();
            if (credentialId == null || credentialId.indexOf(SEPARATOR) >= 0) {
                return;
            }
            String previous = operatorId(store.get(credentialKey(credentialId)));
            // The record's own bytes are what the store keeps; it is read for its operator only.
            String operator = operatorId(record.value());
            if (previous != null && !previous.equals(operator)) {
                store.delete(operatorKey(previous, credentialId));
            }
            if (operator == null) {
                store.delete(credentialKey(credentialId));
                return;
            }
            store.put(credentialKey(credentialId), record.value());
            store.put(operatorKey(operator, credentialId), PRESENT);
        }
    }
}
