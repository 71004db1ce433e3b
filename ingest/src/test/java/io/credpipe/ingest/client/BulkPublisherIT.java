package io.credpipe.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.ingest.IngestConfig;
import io.credpipe.ingest.IngestService;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topics;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.javalin.Javalin;
import java.io.BufferedWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A 100,000-line CSV through the bulk publisher against a real ingest service, twice. */
@ExtendWith(RealKafka.class)
class BulkPublisherIT {

    private static final int ROWS = 100_000;

    @Test
    void aHundredThousandLineCsvLoadsWithExactCountsAndResumesAsDuplicates(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        kafka.createTopics(Topics.ALL, 2);
        io.credpipe.ingest.IngestIT.publishSeedFrameworks(kafka);
        ApiKeyStore keys = new ApiKeyStore(dir);
        String key = keys.create("hr1", false).key();
        Path csv = dir.resolve("assessments.csv");
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Every 100 rows: row 7 has a bad result (rejected), row 13 re-sends row 12 exactly (duplicate).
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("eventId,type,occurredAt,source,operatorId,operatorName,statementId,result,assessorId\n");
            for (int i = 0; i < ROWS; i++) {
                int id = i % 100 == 13 ? i - 1 : i;
                String result = i % 100 == 7 ? "maybe" : "pass";
                out.write(run + "-" + id + ",assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E" + (id % 5000)
                        + ",\"Ruiz, Dana\",51-8091.00@v.26.05/emerging/" + (1 + id % 10) + "," + result + ",acme:S77\n");
            }
        }
        IngestConfig.Limits limits = new IngestConfig.Limits(10L * 1024 * 1024, 10_000, 1_000_000, 1_000_000);
        try (IngestService ingest = new IngestService(new IngestConfig(kafka.bootstrapServers(), Duration.ofSeconds(30), keys, limits))) {
            long deadline = System.nanoTime() + KafkaBroker.PATIENCE.toNanos();
            while (!ingest.ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Javalin http = Javalin.create(config -> config.http.maxRequestSize = 10L * 1024 * 1024);
            http.exception(ProblemException.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                ctx.status(e.problem().status()).json(e.problem());
            });
            ingest.addRoutes(http);
            http.start("127.0.0.1", 0);
            try {
                BulkPublisher publisher = new BulkPublisher(BulkPublisher.Options.defaults(URI.create("http://127.0.0.1:" + http.port()), key));
                AtomicLong total = new AtomicLong();
                AtomicLong done = new AtomicLong();
                BulkPublisher.Progress progress = new BulkPublisher.Progress() {
                    @Override
                    public void total(long records) {
                        total.set(records);
                    }

                    @Override
                    public void advanced(long records) {
                        done.addAndGet(records);
                    }
                };

                BulkPublisher.Summary first = publisher.publish(csv, dir.resolve("rejected.csv"), progress);

                assertThat(total.get()).isEqualTo(ROWS);
                assertThat(done.get()).isEqualTo(ROWS);
                assertThat(first.accepted()).isEqualTo(98_000);
                assertThat(first.duplicate()).isEqualTo(1_000);
                assertThat(first.rejected()).isEqualTo(1_000);
                List<String> rejected = Files.readAllLines(first.rejectedFile());
                assertThat(rejected).hasSize(1_001);
                assertThat(rejected.get(0)).startsWith("eventId,type,");
                assertThat(rejected.get(1)).isEqualTo(run + "-7,assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E7,\"Ruiz, Dana\","
                        + "51-8091.00@v.26.05/emerging/8,maybe,acme:S77");
                List<String> reasons = Files.readAllLines(first.reasonsFile());
                assertThat(reasons).hasSize(1_000);
                var reason = Json.newMapper().readTree(reasons.get(0));
                assertThat(reason.get("line").asLong()).as("the file line, header being line 1").isEqualTo(9);
                assertThat(reason.get("errors").get(0).get("pointer").asText()).isEqualTo("/result");

                BulkPublisher.Summary again = publisher.publish(csv, dir.resolve("rejected-again.csv"), progress);

                assertThat(again.accepted()).isZero();
                assertThat(again.duplicate()).isEqualTo(99_000);
                assertThat(again.rejected()).isEqualTo(1_000);
            } finally {
                http.stop();
            }
        }
    }
}
