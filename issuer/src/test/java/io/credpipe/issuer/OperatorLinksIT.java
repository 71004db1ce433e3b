package io.credpipe.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.issuer.delivery.AccessToken;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import io.credpipe.model.delivery.OperatorLink;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.topics.topic.Topics;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' links and delivery events on the real broker, with two issuer instances of one
 * application: a link created on one opens the page on the other, also on an instance started
 * afterwards; a revocation on either closes it on both; the topic holds the token's hash and
 * never the token; an issued credential is on {@code deliveries}, keyed by its operator.
 */
@ExtendWith(RealKafka.class)
class OperatorLinksIT {

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aLinkWorksOnEveryInstanceUntilRevoked(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        String run = KafkaBroker.uniqueName("links");
        Operator operator = new Operator(run + ":E1", "Dana Ruiz", "dana@example.com");
        publish(kafka, operator);
        Map<String, Caller> callers = Map.of("hr-key", new Caller("hr1", false));
        String applicationId = KafkaBroker.uniqueName("issuer-links-it");

        try (IssuerService first = new IssuerService(config(kafka, applicationId, "first"),
                key -> Optional.ofNullable(callers.get(key)))) {
            first.start();
            Javalin firstHttp = server(first);
            try {
                HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + firstHttp.port() + "/v1/operators/" + operator.id() + "/access-links"))
                        .header("Authorization", "Bearer hr-key").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                JsonNode link = mapper.readTree(created.body());
                String token = link.path("url").asText().substring(link.path("url").asText().lastIndexOf('/') + 1);
                // The instance that created it resolves it at once.
                assertThat(first.accessLinkResolver().operatorId(token)).contains(operator.id());

                try (IssuerService second = new IssuerService(config(kafka, applicationId, "second"),
                        key -> Optional.ofNullable(callers.get(key)))) {
                    second.start();
                    // Started after the link was created: it reads it from the topic.
                    assertThat(await(() -> second.accessLinkResolver().operatorId(token).orElse(null)))
                            .isEqualTo(operator.id());
                    Javalin secondHttp = server(second);
                    try {
                        HttpResponse<String> page = await(() -> {
                            HttpResponse<String> answer = get(secondHttp, "/o/" + token);
                            return answer.body().contains("data-status=\"valid\"") ? answer : null;
                        });
                        assertThat(page.statusCode()).isEqualTo(200);
                        assertThat(page.body()).contains("Dana Ruiz: your credentials");

                        // Revoked on the second, closed on the first.
                        AccessLinks.Created another = second.accessLinks().create(operator.id(), "test", Duration.ofDays(1));
                        String anotherToken = another.url().substring(another.url().lastIndexOf('/') + 1);
                        await(() -> first.accessLinkResolver().operatorId(anotherToken).orElse(null));
                        assertThat(second.accessLinks().revoke(operator.id(), link.path("id").asText())).isTrue();
                        assertThat(second.accessLinkResolver().operatorId(token)).isEmpty();
                        await(() -> first.accessLinkResolver().operatorId(token).isEmpty() ? true : null);
                        assertThat(get(firstHttp, "/o/" + token).statusCode()).isEqualTo(404);
                        assertThat(first.accessLinkResolver().operatorId(anotherToken)).contains(operator.id());
                    } finally {
                        secondHttp.stop();
                    }
                }
            } finally {
                firstHttp.stop();
            }
        }

        List<ConsumerRecord<String, OperatorLink>> links = readAll(kafka, Topics.OPERATOR_LINKS.name(),
                Topics.OPERATOR_LINKS.valueSerde().deserializer());
        assertThat(links).hasSizeGreaterThanOrEqualTo(3);
        for (ConsumerRecord<String, OperatorLink> record : links) {
            assertThat(AccessToken.wellFormedHash(record.key())).isTrue();
            if (record.value() != null) {
                assertThat(record.value().tokenHash()).isEqualTo(record.key());
            }
        }
        assertThat(links.get(links.size() - 1).value()).as("the revocation is a tombstone").isNull();

        List<ConsumerRecord<String, DeliveryEvent>> deliveries = readAll(kafka, Topics.DELIVERIES.name(),
                Topics.DELIVERIES.valueSerde().deserializer());
        assertThat(deliveries).filteredOn(record -> record.key().equals(operator.id()))
                .extracting(record -> record.value().kind()).containsExactly(DeliveryKind.ISSUED);
        assertThat(new String(Topics.DELIVERIES.valueSerde().serializer().serialize("x", deliveries.get(0).value())))
                .doesNotContain("dana@example.com");
    }

    private IssuerConfig config(KafkaBroker kafka, String applicationId, String instance) {
        return new IssuerConfig(kafka.bootstrapServers(), applicationId, temp.resolve("state-" + instance),
                temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name());
    }

    private static void publish(KafkaBroker kafka, Operator operator) throws Exception {
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(producer,
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        try (KafkaProducer<String, LevelDecision> achievements = new KafkaProducer<>(producer,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operator.id(),
                    Fixtures.achieved(operator, Level.EMERGING, null))).get();
        }
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(KafkaBroker kafka, String topic,
            org.apache.kafka.common.serialization.Deserializer<V> values) {
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties,
                new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < quiet) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                if (!records.isEmpty()) {
                    quiet = Math.min(quiet, System.nanoTime() + Duration.ofSeconds(2).toNanos());
                }
            }
        }
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
        return records;
    }

    private Javalin server(IssuerService service) {
        Javalin http = ProblemServer.create();
        service.addRoutes(http);
        return http.start("127.0.0.1", 0);
    }

    private HttpResponse<String> get(Javalin http, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
        while (true) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
            } catch (ProblemException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
            assertThat(System.nanoTime()).as("answered within %s", KafkaBroker.PATIENCE).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
