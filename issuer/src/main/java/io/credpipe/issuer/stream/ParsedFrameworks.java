package io.credpipe.issuer.stream;

import io.credpipe.model.framework.Framework;
import io.credpipe.topics.topic.Topics;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Frameworks as parsed from the global store's bytes, by id, shared by every task of a topology: a
 * framework is ~20 KB of JSON, read for every credential, so it is parsed again only when its bytes
 * change. The same bytes also give every task the same {@link Framework} object, which
 * {@link io.credpipe.issuer.credential.CredentialAssembler} recognises by identity instead of
 * comparing two equal frameworks field by field for every credential.
 */
final class ParsedFrameworks {

    private static final Deserializer<Framework> READER = Topics.FRAMEWORKS.valueSerde().deserializer();

    /** A framework and the record bytes it was parsed from. */
    private record Parsed(byte[] bytes, Framework framework) {}

    private final Map<String, Parsed> byId = new ConcurrentHashMap<>();

    /** Framework {@code id} as the record {@code bytes} hold it. */
    Framework of(String id, byte[] bytes) {
        Parsed parsed = byId.get(id);
        if (parsed == null || !Arrays.equals(parsed.bytes(), bytes)) {
            parsed = new Parsed(bytes, READER.deserialize(Topics.FRAMEWORKS.name(), bytes));
            byId.put(id, parsed);
        }
        return parsed.framework();
    }
}
