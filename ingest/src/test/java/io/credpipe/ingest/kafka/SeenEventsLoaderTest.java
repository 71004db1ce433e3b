package io.credpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.ingest.intake.AssessmentValidatorTest;
import io.credpipe.ingest.intake.EventKey;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SeenEventsLoaderTest {

    @Test
    void theEventIsReadFromTheValueWithItsSource() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("assessments", 0, 0, null, bytes(AssessmentValidatorTest.DESIGN_EXAMPLE));
        record.headers().add(AssessmentPublisher.EVENT_ID_HEADER, bytes("hr1-000042"));

        assertThat(SeenEventsLoader.event(record).source()).isEqualTo("hr1");
        assertThat(SeenEventsLoader.event(record).eventId()).isEqualTo("hr1-000042");
    }

    @Test
    void aValueThatIsNoEventIsSkipped() {
        for (String value : new String[] {"not json", "[]", "{\"eventId\":42}"}) {
            assertThat(SeenEventsLoader.event(new ConsumerRecord<>("assessments", 0, 0, null, bytes(value)))).as(value).isNull();
        }
        assertThat(SeenEventsLoader.event(new ConsumerRecord<>("assessments", 0, 0, null, null))).isNull();
    }

    @Test
    void theHeadersNameTheKeyOnlyWithBothParts() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("assessments", 0, 0, null, bytes("{}"));
        record.headers().add(AssessmentPublisher.EVENT_ID_HEADER, bytes("e-1"));
        assertThat(SeenEventsLoader.keyOf(record.headers())).as("a record written before the source header").isNull();

        record.headers().add(AssessmentPublisher.SOURCE_HEADER, bytes("hr1"));
        assertThat(SeenEventsLoader.keyOf(record.headers())).isEqualTo(new EventKey("hr1", "e-1"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
