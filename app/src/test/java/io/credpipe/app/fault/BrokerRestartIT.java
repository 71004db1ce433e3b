package io.credpipe.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Pipeline;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.credential.IssuedCredential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of the three-broker cluster ({@link ClusterFaultIT#threeBrokers()}: replication factor
 * 3, {@code min.insync.replicas} 2) restarted in place mid-run, then two brokers stopped at once
 * so that one replica of three is left, then both restarted; two instances of every service run
 * throughout.
 *
 * <p>The test kit restarts a node in place: {@link BrokerServer#startup()} after
 * {@code shutdown()} starts it again on its log directories (Kafka's own
 * {@code ClusterInstance.startBroker} does exactly this). The restarted broker catches up and
 * rejoins every in-sync set before the run goes on.
 *
 * <p>What it shows: while two replicas are in sync ingest takes every batch (no 503); with one
 * in sync a write cannot be acknowledged and ingest answers 503 with {@code Retry-After} within
 * its acknowledgement timeout, never a 500 and never a hang; once the brokers are back the same
 * batches are taken (lines already in are reported duplicate) and every operator ends with
 * exactly one credential, no status entry shared.
 *
 * <p>In-process brokers are stopped cleanly (controlled shutdown); an unclean stop of one broker
 * is not simulated here ({@link KillRestartIT} SIGKILLs the embedded broker's whole process).
 */
class BrokerRestartIT {

    private static final int OPERATORS = Integer.getInteger("credpipe.faults.restart.operators", 40);
    /** The ack timeout ingest waits for (Pipeline's IngestConfig) plus room for a loaded machine. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(25);
    private static final Duration ISR_PATIENCE = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aBrokerRestartedAndTwoStoppedMidRunLoseAndDuplicateNothing() throws Exception {
        long started = System.nanoTime();
        List<String> report = new ArrayList<>();
        try (KafkaClusterTestKit cluster = ClusterFaultIT.threeBrokers()) {
            String bootstrap = cluster.bootstrapServers();
            Path dataA = dir.resolve("a");
            Path dataB = dir.resolve("b");
            String key = new ApiKeyStore(dataA).create("hr1", false).key();
            Pipeline a = Pipeline.start(ClusterFaultIT.options(bootstrap, dataA));
            Pipeline b = null;
            try {
                ClusterFaultIT.copyTree(dataA.resolve("keys"), dataB.resolve("keys"));
                Files.copy(dataA.resolve(ApiKeyStore.FILE_NAME), dataB.resolve(ApiKeyStore.FILE_NAME));
                b = Pipeline.start(ClusterFaultIT.options(bootstrap, dataB));
                ClusterFaultIT.assertReplicated(bootstrap);
                List<Pipeline> instances = List.of(a, b);
                List<Integer> brokerIds = cluster.brokers().keySet().stream().sorted().toList();
                int first = brokerIds.get(0);
                int second = brokerIds.get(1);

                List<String> batches = ClusterFaultIT.batches(OPERATORS);
                int quarter = batches.size() / 4;
                int next = 0;
                int unavailable = 0;
                for (; next < quarter; next++) {
                    unavailable += ClusterFaultIT.sendUntilTaken(instances.get(next % 2).httpPort(), key, batches.get(next));
                }

                long restart = System.nanoTime();
                cluster.brokers().get(first).shutdown();
                for (; next < 2 * quarter; next++) {
                    unavailable += ClusterFaultIT.sendUntilTaken(instances.get(next % 2).httpPort(), key, batches.get(next));
                }
                cluster.brokers().get(first).startup();
                awaitEveryReplicaInSync(cluster);
                report.add(String.format("broker %d stopped and restarted in place; %d batches taken meanwhile; "
                        + "every partition back to 3 in-sync replicas %.1f s after the stop", first, quarter, seconds(restart)));
                for (; next < 3 * quarter; next++) {
                    unavailable += ClusterFaultIT.sendUntilTaken(instances.get(next % 2).httpPort(), key, batches.get(next));
                }
                assertThat(unavailable).as("503 answers while two or three replicas were in sync").isZero();

                cluster.brokers().get(first).shutdown();
                cluster.brokers().get(second).shutdown();
                for (Pipeline instance : instances) {
                    long asked = System.nanoTime();
                    HttpResponse<String> answer = post(instance.httpPort(), key, batches.get(next));
                    double took = seconds(asked);
                    assertThat(answer.statusCode()).as("one replica of three in sync: %s", answer.body()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                            type -> assertThat(type).startsWith("application/problem+json"));
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    assertThat(took).as("seconds to the 503").isLessThan(ANSWER_BOUND.toSeconds());
                    report.add(String.format("brokers %d and %d stopped (one replica of three in sync): ingest answered %d "
                            + "with Retry-After %s in %.1f s", first, second, answer.statusCode(),
                            answer.headers().firstValue("Retry-After").orElseThrow(), took));
                }

                long back = System.nanoTime();
                cluster.brokers().get(first).startup();
                cluster.brokers().get(second).startup();
                int retried = ClusterFaultIT.sendUntilTaken(a.httpPort(), key, batches.get(next++));
                report.add(String.format("both brokers restarted: the refused batch was taken %.1f s later, after %d more 503 answers",
                        seconds(back), retried));
                awaitEveryReplicaInSync(cluster);
                report.add(String.format("every partition back to 3 in-sync replicas %.1f s after the restart", seconds(back)));
                for (; next < batches.size(); next++) {
                    unavailable += ClusterFaultIT.sendUntilTaken(instances.get(next % 2).httpPort(), key, batches.get(next));
                }
                assertThat(unavailable).as("503 answers once the brokers were back in sync").isZero();

                Map<String, List<IssuedCredential>> credentials = ClusterFaultIT.assertOneCredentialPerOperator(
                        cluster.bootstrapServers(), OPERATORS);
                report.add(String.format("%d operators, %d events, 2 instances of each service: credentials expected %d, "
                        + "issued %d, duplicates 0; whole test %.0f s", OPERATORS, OPERATORS * 10, OPERATORS,
                        credentials.size(), seconds(started)));
            } finally {
                if (b != null) {
                    b.close();
                }
                a.close();
                Path results = Path.of("target", "fault-results");
                Files.createDirectories(results);
                Files.write(results.resolve("broker-restart.txt"), report);
                report.forEach(System.out::println);
            }
        }
    }

    private static HttpResponse<String> post(int port, String key, String batch) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/assessments"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                // Far above the bound asserted: a hang shows as a failed assertion, not as this timeout.
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until every partition of every topic, internal ones included, has all three replicas in sync. */
    private static void awaitEveryReplicaInSync(KafkaClusterTestKit cluster) throws Exception {
        long deadline = System.nanoTime() + ISR_PATIENCE.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            while (true) {
                Collection<TopicDescription> topics = admin.describeTopics(
                        admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get().values();
                long lagging = topics.stream().flatMap(t -> t.partitions().stream())
                        .filter(p -> !inSync(p)).count();
                if (lagging == 0) {
                    return;
                }
                assertThat(System.nanoTime()).as("every replica in sync within %s; %d partitions lag", ISR_PATIENCE, lagging)
                        .isLessThan(deadline);
                Thread.sleep(250);
            }
        }
    }

    private static boolean inSync(TopicPartitionInfo partition) {
        return partition.isr().size() == partition.replicas().size();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
