package io.credpipe.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON conventions of every credpipe record on the wire. */
public final class Json {

    private Json() {}

    /**
     * A new mapper with credpipe's conventions: RFC 3339 timestamps (not epoch numbers), absent
     * rather than {@code null} fields, unknown fields tolerated so that older readers accept
     * records written by newer services. Instants are read on a fast path where they have the form
     * {@link java.time.Instant#toString()} writes (see {@link Timestamps}).
     */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("credpipe-timestamps").setDeserializerModifier(new Timestamps.InstantReaders()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
