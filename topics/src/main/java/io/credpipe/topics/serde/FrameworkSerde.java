package io.credpipe.topics.serde;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkFormat;
import io.credpipe.model.framework.FrameworkFormatException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Frameworks travel in the LER framework export format, the same bytes admins upload. */
public final class FrameworkSerde implements Serde<Framework> {

    private final FrameworkFormat format = new FrameworkFormat();

    @Override
    public Serializer<Framework> serializer() {
        return (topic, framework) -> framework == null ? null : format.write(framework);
    }

    @Override
    public Deserializer<Framework> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return format.read(topic, bytes);
            } catch (FrameworkFormatException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }
}
