package io.credpipe.issuer;

import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.CredentialStanding;
import io.credpipe.issuer.status.StatusLists;

import io.credpipe.model.credential.StatusBitstring;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusListState;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status lists on a real broker with two partitions: no index is handed out twice across restarts
 * (on the same state directory, and on a fresh one restored from the changelogs), a lost level
 * revokes, and an administrator's HTTP request suspends, visible in the signed list every
 * instance serves.
 */
@ExtendWith(RealKafka.class)
class StatusIT {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final int PER_RUN = 30;

    @TempDir
    Path temp;

    @Test
    void indexesAreUniqueAcrossPartitionsAndRestartsAndStatusChangesArePublished(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        try (KafkaProducer<String, Framework> frameworks = producer(kafka, Topics.FRAMEWORKS.keySerde().serializer(),
                Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        String prefix = KafkaBroker.uniqueName("status-op") + ":";
        String applicationId = KafkaBroker.uniqueName("status-it");
        Map<String, IssuedCredential> mine = new HashMap<>();
        Path[] stateDirs = {temp.resolve("state-a"), temp.resolve("state-a"), temp.resolve("state-b")};
        Map<String, Caller> callers = Map.of("admin-key", new Caller("ops", true));
        for (int run = 0; run < stateDirs.length; run++) {
            sendAchievements(kafka, prefix, run);
            IssuerConfig config = new IssuerConfig(kafka.bootstrapServers(), applicationId, stateDirs[run],
                    temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name());
            try (IssuerService service = new IssuerService(config, key -> Optional.ofNullable(callers.get(key)))) {
                service.start();
                readCredentials(kafka, prefix, mine, (run + 1) * PER_RUN);
                if (run == stateDirs.length - 1) {
                    changeStatuses(kafka, service, prefix, mine);
                }
            }
        }

        Set<String> positions = new HashSet<>();
        Set<String> lists = new HashSet<>();
        for (IssuedCredential credential : mine.values()) {
            JsonNode entry = payload(credential).get("credentialStatus");
            String list = entry.get("statusListCredential").asText();
            lists.add(list.substring(list.lastIndexOf('/') + 1));
            assertThat(positions.add(list + "#" + entry.get("statusListIndex").asText()))
                    .as("status entry of %s is not shared", credential.credentialId()).isTrue();
        }
        assertThat(mine).hasSize(3 * PER_RUN);
        assertThat(lists).containsExactlyInAnyOrder("0-0", "1-0");
    }

    private void changeStatuses(KafkaBroker kafka, IssuerService service, String prefix,
            Map<String, IssuedCredential> mine) throws Exception {
        IssuedCredential revoked = mine.get(prefix + "0-0");
        IssuedCredential suspended = mine.get(prefix + "0-1");
        try (KafkaProducer<String, LevelDecision> achievements = producer(kafka,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            Operator operator = new Operator(revoked.operatorId(), null, null);
            LevelAchieved achieved = Fixtures.achieved(operator, Level.EMERGING, null);
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operator.id(),
                    new io.credpipe.model.decision.LevelLost(operator, achieved.framework(), achieved.level(),
                            achieved.sequence(), io.credpipe.model.decision.LossReason.FAILED, "failed again",
                            achieved.achievedAt().plusSeconds(60), achieved.policy(), "it-fail"))).get();
        }
        Javalin http = Javalin.create(config -> config.showJavalinBanner = false);
        http.exception(ProblemException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            ctx.status(e.problem().status()).result(e.problem().detail());
        });
        service.addRoutes(http);
        http.start("127.0.0.1", 0);
        HttpClient client = HttpClient.newHttpClient();
        try {
            String base = "http://127.0.0.1:" + http.port();
            HttpResponse<String> accepted = eventually(() -> send(client, HttpRequest.newBuilder(URI.create(
                    base + "/v1/credentials/" + suspended.credentialId() + "/suspend"))
                    .header("Authorization", "Bearer admin-key")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"records under review\"}")).build()),
                    response -> response.statusCode() != 503);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            assertThat(eventually(() -> standing(client, base, revoked), CredentialStanding::revoked))
                    .isEqualTo(new CredentialStanding(true, false));
            // A suspension is a revocation (with its reason recorded): read as the spec defines
            // revocation, nobody takes the suspended credential for valid.
            assertThat(eventually(() -> standing(client, base, suspended), CredentialStanding::revoked))
                    .isEqualTo(new CredentialStanding(true, false));
            assertThat(standing(client, base, mine.get(prefix + "0-2"))).isEqualTo(CredentialStanding.VALID);
            assertThat(service.counts().statusChanges()).isEqualTo(2);
            assertThat(service.statusLists()).containsKeys("0-0", "1-0");
            String listId = payload(suspended).at("/credentialStatus/statusListCredential").asText().replaceAll(".*/", "");
            assertThat(service.statusListCredential(listId)).hasValueSatisfying(jwt -> assertThat(
                    payload(new IssuedCredential("x", "x", suspended.framework(), suspended.level(), 1, jwt,
                            suspended.issuedAt(), null, "k")).at("/credentialSubject/type").asText())
                    .isEqualTo("BitstringStatusList"));
        } finally {
            http.stop();
        }
    }

    /** The credential's standing as the signed list served over HTTP says, verified with the issuer's key. */
    private CredentialStanding standing(HttpClient client, String base, IssuedCredential credential) {
        JsonNode entry = payload(credential).get("credentialStatus");
        String url = entry.get("statusListCredential").asText();
        HttpResponse<String> response = send(client, HttpRequest.newBuilder(URI.create(
                base + url.substring(Fixtures.URLS.base().length()))).GET().build());
        if (response.statusCode() != 200) {
            return null;
        }
        try {
            JWSObject jws = JWSObject.parse(response.body());
            assertThat(jws.verify(new ECDSAVerifier((ECKey) new PublishedKeys(IssuerKeys.loadOrCreate(
                    temp.resolve("data").resolve("keys")), Fixtures.URLS).jwks().getKeyByKeyId(
                    jws.getHeader().getKeyID())))).isTrue();
            JsonNode list = MAPPER.readTree(jws.getPayload().toString());
            // Bitstring Status List §3.2: statusSize defaults to 1; a revocation entry reads revoked when its bit is set.
            int value = StatusBitstring.decode(list.at("/credentialSubject/encodedList").asText(),
                    StatusLists.ENTRIES, entry.path("statusSize").asInt(1))
                    .status(Integer.parseInt(entry.get("statusListIndex").asText()));
            assertThat(list.at("/credentialSubject/statusPurpose").asText()).isEqualTo(entry.get("statusPurpose").asText());
            return entry.get("statusPurpose").asText().equals("revocation")
                    ? new CredentialStanding(value == 1, false) : CredentialStanding.of(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T eventually(Supplier<T> attempt, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (true) {
            T value = attempt.get();
            if (value != null && done.test(value)) {
                return value;
            }
            assertThat(System.nanoTime()).as("in time, last %s", value).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode payload(IssuedCredential credential) {
        try {
            return MAPPER.readTree(JWSObject.parse(credential.jwt()).getPayload().toString());
        } catch (java.text.ParseException | JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static void sendAchievements(KafkaBroker kafka, String prefix, int run) throws Exception {
        try (KafkaProducer<String, LevelDecision> achievements = producer(kafka,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            for (int i = 0; i < PER_RUN; i++) {
                Operator operator = new Operator(prefix + run + "-" + i, null, null);
                achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operator.id(),
                        Fixtures.achieved(operator, Level.EMERGING, null)));
            }
            achievements.flush();
        }
    }

    private static <V> KafkaProducer<String, V> producer(KafkaBroker kafka, Serializer<String> keys, Serializer<V> values) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), keys, values);
    }

    /** Reads committed credentials of this test's operators until there are {@code expected}. */
    private static void readCredentials(KafkaBroker kafka, String prefix, Map<String, IssuedCredential> mine, int expected) {
        try (KafkaConsumer<String, IssuedCredential> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("status-it-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CREDENTIALS.name()));
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            List<IssuedCredential> seen = new ArrayList<>();
            while (mine.size() < expected) {
                assertThat(System.nanoTime()).as("%d credentials in time, have %d", expected, mine.size())
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().operatorId().startsWith(prefix)) {
                        IssuedCredential previous = mine.put(record.value().operatorId(), record.value());
                        assertThat(previous == null || previous.equals(record.value()))
                                .as("one credential per achievement").isTrue();
                        seen.add(record.value());
                    }
                });
            }
        }
    }
}
