package io.credpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

class BrokerOutageTest {

    private final BrokerOutage outage = new BrokerOutage();

    @Test
    void aBrokerThatIsAwayFullOrFailingIsAnOutage() {
        assertThat(outage).accepts(
                new TimeoutException("not acknowledged"),
                new NotLeaderOrFollowerException("leader moved"),
                new KafkaStorageException("log directory failed"),
                // What the producer reports when the broker faulted on a full disk's mapped index (DiskFaultIT).
                new UnknownServerException("The server experienced an unexpected error when processing the request."),
                new OutOfOrderSequenceException("no producer state"));
    }

    @Test
    void aRecordTheClusterRefusesForWhatItIsIsNot() {
        assertThat(outage).rejects(
                new RecordTooLargeException("too large"),
                new SerializationException("cannot serialise"),
                new TopicAuthorizationException("not allowed"),
                new IllegalStateException("a defect"));
    }
}
