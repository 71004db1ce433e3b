package io.credpipe.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer says when its Kafka Streams client has died ({@link IssuerService#hasFailed}), which
 * the app's {@code /health/live} reports, as it does the evaluator's: a dead client issues nothing
 * until the process restarts, while {@code /health/live} used to keep answering 200.
 */
@ExtendWith(RealKafka.class)
class IssuerLivenessIT {

    @TempDir
    Path temp;

    @Test
    void anIssuerWhoseStreamThreadDiedHasFailed(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        try (KafkaProducer<String, LevelDecision> achievements = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            // An operator of its own: the broker is shared by the test JVM, and IssuerIT counts DANA's replays.
            Operator lee = new Operator(KafkaBroker.uniqueName("acme:L"), "Lee Park", null);
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), lee.id(), Fixtures.proficient(lee))).get();
        }
        // A producer that can send nothing the issuer writes: the first credential fails the stream
        // thread (RecordTooLargeException), which no record handling catches, and the client shuts down.
        IssuerConfig config = new IssuerConfig(kafka.bootstrapServers(), KafkaBroker.uniqueName("issuer-liveness-it"),
                temp.resolve("state"), temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name())
                .withStreamsOverrides(Map.of(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 64));
        try (IssuerService issuer = new IssuerService(config)) {
            assertThat(issuer.hasFailed()).as("not started is not failed").isFalse();
            issuer.start();
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (!issuer.hasFailed()) {
                assertThat(System.nanoTime()).as("waited %s for the stream thread to die", KafkaBroker.PATIENCE).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(issuer.isRunning()).isFalse();
        }
    }
}
