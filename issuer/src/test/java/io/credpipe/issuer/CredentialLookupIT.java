package io.credpipe.issuer;

import io.credpipe.issuer.status.CredentialRecord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two issuer instances of one application on the real broker, {@code achievements} with two
 * partitions: an instance answers for credentials of operators whose partition it does not own,
 * from its global store, including the one that joined after the credentials were issued and built
 * its store (and operator index) by restoration; status commands it accepts are applied by the
 * owner.
 */
@ExtendWith(RealKafka.class)
class CredentialLookupIT {

    private static final int PARTITIONS = 2;
    /** When the renewed operator's first developing credential lapses; far enough ahead to be current in the test. */
    private static final Instant VALID_UNTIL = Instant.parse("2090-01-01T00:00:00Z");
    private static final Instant RENEWAL_VALID_UNTIL = VALID_UNTIL.plus(Duration.ofDays(365));

    @TempDir
    Path temp;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void anyInstanceAnswersForEveryOperator(KafkaBroker kafka) throws Exception {
        kafka.createTopics(Topics.ALL, PARTITIONS);
        String run = KafkaBroker.uniqueName("lookup");
        // Three operators on each partition: ids are random per run, so they are picked by partition
        // rather than left to chance (six random ids all land on one of two partitions 1 run in 32).
        List<Operator> operators = new ArrayList<>();
        int[] perPartition = new int[PARTITIONS];
        for (int n = 0; operators.size() < 3 * PARTITIONS; n++) {
            String id = run + ":E" + n;
            if (perPartition[partition(id)]++ < 3) {
                operators.add(new Operator(id, null, null));
            }
        }
        publish(kafka, operators);
        Map<String, Caller> callers = Map.of("admin-key", new Caller("ops", true));
        String applicationId = KafkaBroker.uniqueName("issuer-lookup-it");

        try (IssuerService first = new IssuerService(config(kafka, applicationId, "first"),
                key -> Optional.ofNullable(callers.get(key)))) {
            first.start();
            List<IssuedCredential> issued = new ArrayList<>();
            for (Operator operator : operators) {
                int expected = operator.equals(renewed(operators)) ? 3 : 2;
                issued.addAll(await(() -> {
                    List<CredentialRecord> records = first.operatorCredentials(operator.id());
                    return records.size() == expected ? records.stream().map(CredentialRecord::issued).toList() : null;
                }));
            }
            assertClrBundlesTheRenewalOnly(first, renewed(operators));
            // Both partitions hold operators, so no single task store could answer for all of them.
            assertThat(operators.stream().map(o -> partition(o.id())).distinct()).hasSize(PARTITIONS);

            try (IssuerService second = new IssuerService(config(kafka, applicationId, "second"),
                    key -> Optional.ofNullable(callers.get(key)))) {
                second.start();
                await(() -> second.credential(issued.get(issued.size() - 1).credentialId()).orElse(null));
                Javalin http = server(second);
                try {
                    int answeredWithoutOwning = 0;
                    for (IssuedCredential credential : issued) {
                        boolean owned = second.activePartitions().contains(partition(credential.operatorId()));
                        assertThat(second.credential(credential.credentialId())).contains(credential);
                        assertThat(first.credential(credential.credentialId())).contains(credential);
                        HttpResponse<String> response = get(http, "/v1/credentials/" + credential.credentialId(),
                                "application/jwt");
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(response.body()).isEqualTo(credential.jwt());
                        if (!owned) {
                            answeredWithoutOwning++;
                        }
                    }
                    assertThat(answeredWithoutOwning).as("credentials answered by an instance not owning their operator")
                            .isPositive();

                    Operator foreign = operators.stream()
                            .filter(o -> !o.equals(renewed(operators)) && !second.activePartitions().contains(partition(o.id())))
                            .findFirst().orElseThrow();
                    // Valid once this instance has read both status lists from credential-status.
                    JsonNode list = await(() -> {
                        JsonNode body = mapper.readTree(get(http, "/v1/operators/" + foreign.id() + "/credentials", null).body());
                        boolean valid = body.get("credentials").size() == 2 && java.util.stream.StreamSupport
                                .stream(body.get("credentials").spliterator(), false)
                                .allMatch(c -> c.get("status").asText().equals("valid"));
                        return valid ? body : null;
                    });
                    HttpResponse<String> clr = get(http, "/v1/operators/" + foreign.id() + "/clr", "application/jwt");
                    assertThat(clr.statusCode()).isEqualTo(200);
                    JsonNode record = mapper.readTree(JWSObject.parse(clr.body()).getPayload().toString());
                    assertThat(record.at("/credentialSubject/verifiableCredential")).hasSize(2);
                    assertThat(record.at("/credentialSubject/association/0/associationType").asText()).isEqualTo("precedes");

                    // A status command accepted by the instance that does not own the operator.
                    String revoked = list.at("/credentials/0/id").asText();
                    HttpResponse<String> command = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + http.port() + "/v1/credentials/" + revoked + "/revoke"))
                            .header("Authorization", "Bearer admin-key")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"issued in error\"}", StandardCharsets.UTF_8))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(command.statusCode()).as(command.body()).isEqualTo(202);
                    await(() -> second.operatorCredentials(foreign.id()).stream()
                            .filter(r -> r.issued().credentialId().equals(revoked) && r.status().equals("revoked"))
                            .findFirst().orElse(null));
                    JsonNode after = mapper.readTree(JWSObject.parse(get(http, "/v1/operators/" + foreign.id() + "/clr",
                            "application/jwt").body()).getPayload().toString());
                    assertThat(after.at("/credentialSubject/verifiableCredential")).hasSize(1);
                    assertThat(after.get("id")).isNotEqualTo(record.get("id"));
                } finally {
                    http.stop();
                }
            }
        }
    }

    /** The operator whose developing level is renewed: achieved a second time, valid for longer. */
    private static Operator renewed(List<Operator> operators) {
        return operators.get(0);
    }

    /**
     * The CLR holds one credential per level: the renewal of developing, not the credential it
     * replaced, and its {@code validUntil} is not cut short by the replaced one's.
     */
    private void assertClrBundlesTheRenewalOnly(IssuerService issuer, Operator operator) throws Exception {
        List<IssuedCredential> developing = issuer.operatorCredentials(operator.id()).stream().map(CredentialRecord::issued)
                .filter(c -> c.level() == Level.DEVELOPING).toList();
        assertThat(developing).extracting(IssuedCredential::sequence).containsExactlyInAnyOrder(1, 2);
        IssuedCredential replaced = developing.stream().filter(c -> c.sequence() == 1).findFirst().orElseThrow();
        IssuedCredential renewal = developing.stream().filter(c -> c.sequence() == 2).findFirst().orElseThrow();
        // The CLR bundles only current credentials: once the status list is read, all three are.
        await(() -> issuer.operatorCredentials(operator.id()).stream().allMatch(r -> r.status().equals("valid")) ? true : null);
        JsonNode record = mapper.readTree(JWSObject.parse(issuer.clr(operator.id()).orElseThrow().jwt()).getPayload().toString());
        List<String> bundled = new ArrayList<>();
        record.at("/credentialSubject/verifiableCredential").forEach(c -> bundled.add(c.get("id").asText()));
        assertThat(bundled).as("one credential per level").hasSize(2)
                .anyMatch(id -> id.endsWith(renewal.credentialId()))
                .noneMatch(id -> id.endsWith(replaced.credentialId()));
        // The earliest expiry among the bundled (emerging has none): the renewal's, not the replaced one's.
        assertThat(record.get("validUntil").asText()).isEqualTo(RENEWAL_VALID_UNTIL.toString());
    }

    private IssuerConfig config(KafkaBroker kafka, String applicationId, String instance) {
        // One data directory: the instances of one issuer share its keys and identifier secret.
        return new IssuerConfig(kafka.bootstrapServers(), applicationId, temp.resolve("state-" + instance),
                temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name());
    }

    /** The partition of {@code achievements} an operator's decisions go to (the producer's default partitioner). */
    private static int partition(String operatorId) {
        return Utils.toPositive(Utils.murmur2(operatorId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Frameworks, and emerging and developing for each operator. */
    private static void publish(KafkaBroker kafka, List<Operator> operators) throws Exception {
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(producer(kafka),
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            for (Framework framework : SeedFrameworks.load()) {
                frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
            }
        }
        try (KafkaProducer<String, LevelDecision> achievements = new KafkaProducer<>(producer(kafka),
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            for (Operator operator : operators) {
                for (Level level : List.of(Level.EMERGING, Level.DEVELOPING)) {
                    boolean toRenew = operator.equals(renewed(operators)) && level == Level.DEVELOPING;
                    LevelAchieved achievement = Fixtures.achieved(operator, level, toRenew ? VALID_UNTIL : null);
                    achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), operator.id(), achievement)).get();
                }
            }
            // A later pass extends developing's validity: the evaluator's renewal, the next sequence of the level.
            LevelAchieved first = Fixtures.achieved(renewed(operators), Level.DEVELOPING, VALID_UNTIL);
            LevelAchieved renewal = new LevelAchieved(first.operator(), first.framework(), first.level(), 2, first.statements(),
                    first.achievedAt().plusSeconds(86_400), RENEWAL_VALID_UNTIL, first.policy(), "hr1-renewal");
            achievements.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), renewal.operator().id(), renewal)).get();
        }
    }

    private static Map<String, Object> producer(KafkaBroker kafka) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
    }

    private Javalin server(IssuerService service) {
        Javalin http = ProblemServer.create();
        service.addRoutes(http);
        return http.start("127.0.0.1", 0);
    }

    /** A GET with an administrator's key: the operator routes need one. */
    private HttpResponse<String> get(Javalin http, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .header("Authorization", "Bearer admin-key");
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code probe} until it answers non-null, through "not yet queryable" problems. */
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
