package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.topics.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every committed record of {@code credentials}, read incrementally: one consumer kept open, so
 * waiting for the ten-thousandth credential does not re-read the first 9,999 on every poll.
 */
final class CredentialsTail implements AutoCloseable {

    private final String bootstrap;
    private final Map<String, List<IssuedCredential>> byId = new HashMap<>();
    private KafkaConsumer<String, IssuedCredential> consumer;
    private List<TopicPartition> partitions;

    CredentialsTail(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every record by credential id once {@code count} credentials match {@code wanted}. */
    Map<String, List<IssuedCredential>> await(Predicate<IssuedCredential> wanted, int count, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            read();
            long matching = byId.values().stream().map(l -> l.get(0)).filter(wanted).count();
            if (matching >= count) {
                return byId;
            }
            assertThat(System.nanoTime()).as("%d credentials within %s, have %d", count, patience, matching).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private void read() {
        if (consumer == null) {
            // The services create the topic; the consumer is opened once it exists.
            consumer = TopicReader.consumer(bootstrap, Topics.CREDENTIALS);
            partitions = TopicReader.partitions(consumer, Topics.CREDENTIALS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        TopicReader.drain(consumer, partitions, (id, credential) -> byId.computeIfAbsent(id, k -> new ArrayList<>()).add(credential));
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
