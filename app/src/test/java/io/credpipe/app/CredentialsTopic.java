package io.credpipe.app;

import io.credpipe.topics.client.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.kafka.TopicSnapshot;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the app's integration tests read back from {@code credentials}. */
final class CredentialsTopic {

    private CredentialsTopic() {}

    /** The one credential of {@code operatorId}, once the issuer has committed it. */
    static IssuedCredential awaitOnly(String bootstrap, String operatorId) throws InterruptedException {
        return awaitOnly(KafkaClientSettings.plaintext(bootstrap), operatorId);
    }

    /** The one credential of {@code operatorId} on the cluster of {@code kafka}, once the issuer has committed it. */
    static IssuedCredential awaitOnly(KafkaClientSettings kafka, String operatorId) throws InterruptedException {
        Instant deadline = Instant.now().plus(KafkaBroker.PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            List<IssuedCredential> found = TopicSnapshot.read(kafka, Topics.CREDENTIALS, Duration.ofSeconds(30)).stream()
                    .map(r -> r.value())
                    .filter(c -> c.operatorId().equals(operatorId))
                    .toList();
            if (!found.isEmpty()) {
                assertThat(found).hasSize(1);
                return found.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no credential for " + operatorId + " within " + KafkaBroker.PATIENCE);
    }
}
