package io.credpipe.app.kafka;

import io.credpipe.topics.client.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.net.FreePort;
import org.junit.jupiter.api.Test;

class KafkaReachabilityTest {

    @Test
    void nothingListeningMeansNotReachable() {
        try (KafkaReachability kafka = new KafkaReachability(KafkaClientSettings.plaintext("127.0.0.1:" + FreePort.onLoopback()))) {
            assertThat(kafka.reachable()).isFalse();
            assertThat(kafka.reachable()).as("kept, not probed again").isFalse();
        }
    }
}
