package io.credpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SeenEventsLoaderTest {

    @Test
    void theEventIdComesFromTheHeaderWhenPresent() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("assessments", 0, 0, null, bytes("{\"eventId\":\"from-value\"}"));
        record.headers().add(AssessmentPublisher.EVENT_ID_HEADER, bytes("from-header"));

        assertThat(SeenEventsLoader.eventId(record)).isEqualTo("from-header");
    }

    @Test
    void withoutTheHeaderTheTopLevelEventIdIsRead() {
        String value = "{\"operator\":{\"id\":\"acme:E1\",\"eventId\":\"nested\"},\"evidence\":[{\"eventId\":\"x\"}],\"eventId\":\"hr1-42\"}";
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("assessments", 0, 0, null, bytes(value));

        assertThat(SeenEventsLoader.eventId(record)).isEqualTo("hr1-42");
        assertThat(SeenEventsLoader.eventIdField(bytes("{\"eventId\":42}"))).isNull();
        assertThat(SeenEventsLoader.eventIdField(bytes("not json"))).isNull();
        assertThat(SeenEventsLoader.eventIdField(bytes("[]"))).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
