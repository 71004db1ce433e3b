package io.credpipe.issuer;

import io.credpipe.issuer.signing.CredentialIssuer;

import static io.credpipe.issuer.Fixtures.DANA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealKafka.class)
class IssuerIT {

    @TempDir
    Path temp;

    @Test
    void issuesOneVerifiableCredentialPerAchievement(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        LevelAchieved proficient = Fixtures.proficient(DANA);
        LevelAchieved emerging = Fixtures.achieved(DANA, Level.EMERGING, null);
        // The service derives ids with the secret in its data directory, created here first.
        io.credpipe.issuer.credential.IdentitySalts salts = io.credpipe.issuer.signing.IssuerKeys.loadOrCreate(
                IssuerConfig.keysDir(temp.resolve("data"))).identitySalts();
        String proficientId = salts.credentialId(DANA.id(), proficient.framework(), proficient.level(), proficient.sequence()).toString();
        String emergingId = salts.credentialId(DANA.id(), emerging.framework(), emerging.level(), emerging.sequence()).toString();
        try (KafkaProducer<String, Framework> frameworks = producer(kafka, Topics.FRAMEWORKS.keySerde().serializer(),
                Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        try (KafkaProducer<String, LevelDecision> achievements = producer(kafka,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), DANA.id(), proficient)).get();
            // The replay and the next achievement share the operator's partition, so once the second
            // credential is out the replay has been processed too.
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), DANA.id(), proficient)).get();
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), DANA.id(), emerging)).get();
        }

        IssuerConfig config = new IssuerConfig(kafka.bootstrapServers(), KafkaBroker.uniqueName("issuer-it"),
                temp.resolve("state"), temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name());
        try (IssuerService service = new IssuerService(config)) {
            service.start();
            assertThat(service.isRunning()).isTrue();

            List<ConsumerRecord<String, IssuedCredential>> records = readCredentials(kafka,
                    seen -> seen.stream().anyMatch(r -> r.key().equals(emergingId)));

            List<ConsumerRecord<String, IssuedCredential>> mine = records.stream()
                    .filter(r -> r.key().equals(proficientId) || r.key().equals(emergingId)).toList();
            assertThat(mine).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(proficientId, emergingId);
            IssuedCredential credential = mine.stream().filter(r -> r.key().equals(proficientId)).findFirst()
                    .orElseThrow().value();

            JWSObject jws = JWSObject.parse(credential.jwt());
            JWK key = service.publishedKeys().jwks().getKeyByKeyId(jws.getHeader().getKeyID());
            assertThat(key).isNotNull();
            assertThat(key.isPrivate()).isFalse();
            assertThat(jws.verify(new ECDSAVerifier((ECKey) key))).isTrue();
            JsonNode payload = new ObjectMapper().readTree(jws.getPayload().toString());
            assertThat(payload.get("iss").asText()).isEqualTo(Fixtures.ISSUER.id()).isEqualTo(new io.credpipe.issuer.signing.DidWebDocument(Fixtures.URLS).did());
            assertThat(payload.get("jti").asText()).isEqualTo(Fixtures.URLS.credential(io.credpipe.model.credential.CredentialId.parse(proficientId)));
            assertThat(payload.at("/credentialSubject/achievement/id").asText())
                    .isEqualTo(Fixtures.URLS.level(Fixtures.CHEMICAL, Level.PROFICIENT));

            assertThat(awaitCredential(service, proficientId)).contains(credential);
            // The broker is shared by the test JVM: other tests' achievements are on the same topic.
            assertThat(service.counts().issued()).isGreaterThanOrEqualTo(2);
            assertThat(service.counts().replaysIgnored()).isEqualTo(1);
        }
    }

    private static Optional<IssuedCredential> awaitCredential(IssuerService service, String id) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (true) {
            try {
                return service.credential(id);
            } catch (io.credpipe.model.problem.ProblemException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private static <V> KafkaProducer<String, V> producer(KafkaBroker kafka,
            org.apache.kafka.common.serialization.Serializer<String> keys,
            org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), keys, values);
    }

    /** Reads {@code credentials} (committed transactions only) until {@code done} holds or patience runs out. */
    private static List<ConsumerRecord<String, IssuedCredential>> readCredentials(KafkaBroker kafka,
            Predicate<List<ConsumerRecord<String, IssuedCredential>>> done) {
        List<ConsumerRecord<String, IssuedCredential>> seen = new ArrayList<>();
        try (KafkaConsumer<String, IssuedCredential> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("issuer-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CREDENTIALS.name()));
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (!done.test(seen)) {
                assertThat(System.nanoTime()).as("credentials within %s", KafkaBroker.PATIENCE).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            // Anything else already committed, e.g. a second credential for the replay.
            consumer.poll(Duration.ofSeconds(1)).forEach(seen::add);
        }
        return seen;
    }
}
