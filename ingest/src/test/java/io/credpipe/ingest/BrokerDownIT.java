package io.credpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.ingest.intake.BatchIntakeTest;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops a real broker under a running ingest service: requests are answered 503 with
 * {@code Retry-After} and nothing is counted as accepted. The broker is private to this test, not
 * the JVM-wide one other tests share.
 */
class BrokerDownIT {

    private static final ObjectMapper JSON = Json.newMapper();

    @Test
    void whenTheBrokerStopsRequestsAre503AndNothingIsAccepted(@TempDir Path dir) throws Exception {
        ApiKeyStore keys = new ApiKeyStore(dir);
        String key = keys.create("hr1", false).key();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaBroker cluster = RealKafka.startPrivateBroker();
        IngestService ingest = null;
        Javalin http = null;
        boolean stopped = false;
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                admin.createTopics(Topics.ALL.stream().map(t -> t.newTopic(Optional.of(1), Optional.of((short) 1))).toList()).all().get();
            }
            IngestIT.publishSeedFrameworks(cluster);
            ingest = new IngestService(new IngestConfig(cluster.bootstrapServers(), Duration.ofSeconds(2), keys,
                    IngestConfig.Limits.DEFAULTS), meters);
            IngestIT.awaitReady(ingest);
            http = IngestIT.server(ingest);
            assertThat(IngestIT.post(http, BatchIntakeTest.event("up-1"), "application/json", key).statusCode()).isEqualTo(202);

            cluster.close();
            stopped = true;

            String batch = BatchIntakeTest.event("down-1") + "\n" + BatchIntakeTest.event("down-2") + "\n";
            long started = System.nanoTime();
            var response = IngestIT.post(http, batch, IngestService.NDJSON, key);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue(String.valueOf(IngestService.RETRY_AFTER_SECONDS));
            assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("https://credpipe.io/problems/kafka-unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            var single = IngestIT.post(http, BatchIntakeTest.event("down-3"), "application/json", key);
            assertThat(single.statusCode()).isEqualTo(503);
            assertThat(meters.get("credpipe.ingest.accepted").counter().count()).as("only the event sent while the broker was up").isEqualTo(1.0);
        } finally {
            if (http != null) {
                http.stop();
            }
            if (ingest != null) {
                ingest.close();
            }
            if (!stopped) {
                cluster.close();
            }
        }
    }
}
