package io.credpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.ingest.intake.AssessmentValidation;
import io.credpipe.ingest.intake.AssessmentValidator;
import io.credpipe.ingest.intake.AssessmentValidatorTest;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.ingest.intake.EventKey;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class AssessmentPublisherTest {

    private static AssessmentEvent designExample() {
        AssessmentValidation validation = new AssessmentValidator()
                .validate(AssessmentValidatorTest.DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8));
        return ((AssessmentValidation.Valid) validation).event();
    }

    @Test
    void producerIsIdempotentAndWaitsForAllReplicas() {
        var config = AssessmentPublisher.producerConfig("127.0.0.1:9092", Duration.ofSeconds(3));

        assertThat(config).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000L);
    }

    @Test
    void aRecordLargerThanKafkaTakesFailsAsTooLargeBeforeAnythingIsSent() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Rejection huge = new Rejection("hr1-7", RejectionReason.INVALID_FIELD, "x".repeat(AssessmentPublisher.MAX_RECORD_BYTES),
                null, "ingest", Instant.parse("2026-05-20T10:00:00Z"), "{}");

        try (AssessmentPublisher publisher = new AssessmentPublisher(producer)) {
            assertThatThrownBy(() -> publisher.publishRejection(huge).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(io.credpipe.ingest.intake.RecordTooLarge.class);
        }
        assertThat(producer.history()).isEmpty();
        assertThat(AssessmentPublisher.producerConfig("127.0.0.1:9092", Duration.ofSeconds(3)))
                .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    }

    @Test
    void aBrokerRefusingTheRecordForItsSizeIsTooLargeNotAnOutage() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());

        try (AssessmentPublisher publisher = new AssessmentPublisher(producer)) {
            var written = publisher.publish(designExample());
            producer.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("message.max.bytes"));
            assertThatThrownBy(written::get).cause().isInstanceOf(io.credpipe.ingest.intake.RecordTooLarge.class);
        }
    }

    @Test
    void eventsAreKeyedByOperatorAndWrittenWithTheCatalogueSerde() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        AssessmentEvent event = designExample();

        try (AssessmentPublisher publisher = new AssessmentPublisher(producer)) {
            assertThat(publisher.publish(event).get().offset()).isZero();
        }

        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("acme:E1234");
        assertThat(Topics.ASSESSMENTS.valueSerde().deserializer().deserialize("assessments", record.value())).isEqualTo(event);
        assertThat(SeenEventsLoader.keyOf(record.headers())).isEqualTo(new EventKey(event.source(), event.eventId()));
    }

    @Test
    void rejectionsAreKeyedByEventIdOrUnkeyed() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Instant now = Instant.parse("2026-05-20T10:00:00Z");
        Rejection known = new Rejection("hr1-7", RejectionReason.INVALID_FIELD, "/result must be one of pass, fail", "/result",
                "ingest", now, "{}");
        Rejection unreadable = new Rejection(null, RejectionReason.MALFORMED_JSON, "not JSON", null, "ingest", now, "{");

        try (AssessmentPublisher publisher = new AssessmentPublisher(producer)) {
            publisher.publishRejection(known).get();
            publisher.publishRejection(unreadable).get();
        }

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("assessments-rejected");
        assertThat(new String(producer.history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("hr1-7");
        assertThat(producer.history().get(1).key()).isNull();
        assertThat(Topics.ASSESSMENTS_REJECTED.valueSerde().deserializer()
                .deserialize("assessments-rejected", producer.history().get(0).value())).isEqualTo(known);
    }

    @Test
    void aFailedWriteFailsTheFuture() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (AssessmentPublisher publisher = new AssessmentPublisher(producer)) {
            var ack = publisher.publish(designExample());
            producer.errorNext(new NotEnoughReplicasException("1 of 3 in sync"));

            assertThatThrownBy(ack::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(NotEnoughReplicasException.class);
        }
    }
}
