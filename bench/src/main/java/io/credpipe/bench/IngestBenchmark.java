package io.credpipe.bench;

import io.credpipe.ingest.IngestService;
import io.credpipe.model.json.Json;
import io.credpipe.ingest.IngestConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.ingest.kafka.AssessmentPublisher;
import io.credpipe.ingest.auth.ApiKeyStore;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.problem.ProblemException;
import io.credpipe.topics.topic.Topics;
import io.credpipe.topics.client.PartitionReadiness;
import io.javalin.Javalin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Measures what the HTTP API costs over producing directly: N events sent as NDJSON batches to an
 * ingest service (validation, idempotency, acknowledgement per batch), then the same N events sent
 * by a raw Kafka producer with the same settings (idempotent, {@code acks=all}), and writes both
 * rates and their ratio as markdown.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = Json.newMapper();
    /** Where the HTTP floor writes: as many partitions as {@code assessments}, read by nothing. */
    private static final String FLOOR_TOPIC = "bench-ingest-floor";

    /**
     * What to measure.
     *
     * @param bootstrapServers the Kafka cluster (topics are created if missing)
     * @param events           N
     * @param batchSize        lines per HTTP request
     * @param clients          concurrent HTTP clients
     * @param result           the markdown file to write
     */
    public record Settings(String bootstrapServers, int events, int batchSize, int clients, Path result) {}

    /**
     * The measured rates.
     *
     * @param httpPerSecond     events per second over HTTP
     * @param producerPerSecond events per second with the raw producer
     */
    public record Result(double httpPerSecond, double producerPerSecond, Cpu httpCpu, Cpu producerCpu,
            double floorPerSecond, Cpu floorCpu) {
        /** HTTP rate over raw producer rate. */
        public double ratio() {
            return httpPerSecond / producerPerSecond;
        }

        /** Raw producer's process CPU per event over the HTTP path's: the steadier ratio on a shared machine. */
        public double cpuRatio() {
            return producerCpu.processNanos() / (double) httpCpu.processNanos();
        }

        /** The HTTP floor's rate over the raw producer's: the most {@link #ratio} can be for any ingest over HTTP here. */
        public double floorRatio() {
            return floorPerSecond / producerPerSecond;
        }

        /** The same by process CPU per event. */
        public double floorCpuRatio() {
            return producerCpu.processNanos() / (double) floorCpu.processNanos();
        }
    }

    /**
     * CPU used by one measured run.
     *
     * @param processNanos the whole process (server, HTTP clients, producer, broker, GC, JIT)
     * @param byGroup      by thread group ({@link #GROUPS})
     * @param events       events in the run
     */
    public record Cpu(long processNanos, Map<String, Long> byGroup, int events) {
        double microsPerEvent(long nanos) {
            return nanos / 1e3 / events;
        }
    }

    /** How the process's threads are grouped in the CPU table. */
    static final List<ThreadCpu.Group> GROUPS = List.of(
            new ThreadCpu.Group("ingest HTTP request threads (parse, validate, seen-id check, publish)", n -> n.startsWith("JettyServerThreadPool")),
            new ThreadCpu.Group("ingest producer I/O thread", n -> n.contains("producer-network-thread | credpipe-ingest")),
            new ThreadCpu.Group("ingest seen-id follower", n -> n.contains("credpipe-ingest-seen-events")),
            new ThreadCpu.Group("benchmark: HTTP clients (build and send bodies)", n -> n.startsWith("HttpClient") || n.startsWith("pool-")),
            new ThreadCpu.Group("benchmark: raw producer (main thread, its I/O thread)", n -> n.equals("main") || n.contains("producer-network-thread | producer-")),
            new ThreadCpu.Group("broker", n -> n.startsWith("data-plane") || n.startsWith("kafka-") || n.startsWith("quorum") || n.contains("broker")
                    || n.startsWith("controller") || n.startsWith("raft") || n.startsWith("ReplicaFetcher") || n.startsWith("ExpirationReaper")));

    private IngestBenchmark() {}

    /** Runs the benchmark and writes the markdown file. */
    public static Result run(Settings settings) throws IOException, InterruptedException, ExecutionException {
        createTopics(settings.bootstrapServers());
        publishFrameworks(settings.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<AssessmentEvent> warmUp = events("warm-" + run, Math.max(1_000, settings.events() / 10));
        List<AssessmentEvent> measured = events("bench-" + run, settings.events());
        Path keyDir = Files.createTempDirectory("credpipe-bench-keys");
        ApiKeyStore keys = new ApiKeyStore(keyDir);
        String key = keys.create("hr1", false).key();
        IngestConfig.Limits limits = new IngestConfig.Limits(64L * 1024 * 1024, Math.max(settings.batchSize(), 1), 1e9, Integer.MAX_VALUE);
        ThreadCpu cpu = new ThreadCpu(GROUPS);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Measured http;
        try (IngestService ingest = new IngestService(new IngestConfig(settings.bootstrapServers(), Duration.ofSeconds(60), keys, limits))) {
            while (!ingest.ready()) {
                Thread.sleep(20);
            }
            http = overServer(server -> {
                server.exception(ProblemException.class, (e, ctx) -> ctx.status(e.problem().status()).result(e.problem().detail()));
                ingest.addRoutes(server);
            }, key, warmUp, measured, settings, cpu);
        } finally {
            Files.deleteIfExists(keys.file());
            Files.deleteIfExists(keyDir);
        }
        Measured floor;
        try (KafkaProducer<byte[], byte[]> forwarder = new KafkaProducer<>(floorProducerConfig(settings.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            floor = overServer(server -> server.post(IngestService.ASSESSMENTS_PATH, ctx -> forward(forwarder, ctx)),
                    key, warmUp, measured, settings, cpu);
        }
        Measured producer;
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                AssessmentPublisher.producerConfig(settings.bootstrapServers(), Duration.ofSeconds(60)),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            produce(raw, warmUp);
            producer = measure(cpu, settings.events(), () -> produce(raw, measured));
        }
        Result result = new Result(http.perSecond(), producer.perSecond(), http.cpu(), producer.cpu(), floor.perSecond(), floor.cpu());
        write(settings, result, loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return result;
    }

    /** A measured run: its rate and the CPU it used. */
    private record Measured(double perSecond, Cpu cpu) {}

    /** What is measured: one pass over the events. */
    private interface Pass {
        void run() throws InterruptedException, ExecutionException;
    }

    /** Times {@code pass} over {@code events} events and takes the process's and each thread group's CPU. */
    private static Measured measure(ThreadCpu cpu, int events, Pass pass) throws InterruptedException, ExecutionException {
        Map<String, Long> groupsBefore = cpu.snapshot();
        long processBefore = ThreadCpu.process();
        long started = System.nanoTime();
        pass.run();
        double perSecond = events / ((System.nanoTime() - started) / 1e9);
        return new Measured(perSecond, new Cpu(ThreadCpu.process() - processBefore, ThreadCpu.between(groupsBefore, cpu.snapshot()), events));
    }

    /** Serves {@code routes} on a server of its own, posts the warm-up events to it, then measures posting the others. */
    private static Measured overServer(java.util.function.Consumer<Javalin> routes, String key, List<AssessmentEvent> warmUp,
            List<AssessmentEvent> measured, Settings settings, ThreadCpu cpu) throws InterruptedException, ExecutionException {
        Javalin server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 64L * 1024 * 1024;
        });
        routes.accept(server);
        server.start("127.0.0.1", 0);
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.port() + IngestService.ASSESSMENTS_PATH);
            overHttp(endpoint, key, warmUp, settings);
            return measure(cpu, settings.events(), () -> overHttp(endpoint, key, measured, settings));
        } finally {
            server.stop();
        }
    }

    private static void overHttp(URI endpoint, String key, List<AssessmentEvent> events, Settings settings)
            throws InterruptedException, ExecutionException {
        List<List<AssessmentEvent>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += settings.batchSize()) {
            batches.add(events.subList(i, Math.min(events.size(), i + settings.batchSize())));
        }
        HttpClient client = HttpClient.newHttpClient();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(settings.clients());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (List<AssessmentEvent> batch : batches) {
                sent.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder();
                    for (AssessmentEvent event : batch) {
                        body.append(JSON.writeValueAsString(event)).append('\n');
                    }
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint)
                            .header("Content-Type", IngestService.NDJSON)
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                    // The receipt's members come in any order (a batch id leads since batch receipts exist).
                    if (response.statusCode() != 202 || JSON.readTree(response.body()).path("accepted").asInt(-1) != batch.size()) {
                        throw new IllegalStateException("batch not fully accepted: HTTP " + response.statusCode() + " "
                                + response.body().substring(0, Math.min(300, response.body().length())));
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The HTTP floor's handler: the least any ingest over HTTP does per batch. It reads the body, splits
     * it into lines and sends each as it came, unkeyed (the sticky partitioner fills batches best), then
     * waits for every acknowledgement before answering, as a client must be told only what is durably
     * in Kafka. No key, no parsing, no validation, no duplicate check, no source check.
     */
    private static void forward(KafkaProducer<byte[], byte[]> producer, io.javalin.http.Context ctx) throws Exception {
        byte[] body = ctx.bodyAsBytes();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (i > start) {
                    acks.add(producer.send(new ProducerRecord<>(FLOOR_TOPIC, null, java.util.Arrays.copyOfRange(body, start, i))));
                }
                start = i + 1;
            }
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        ctx.status(202).contentType("application/json").result("{\"accepted\":" + acks.size() + "}");
    }

    /** Ingest's own producer settings, under a client id that puts its I/O thread in ingest's row. */
    private static Map<String, Object> floorProducerConfig(String bootstrapServers) {
        Map<String, Object> config = new java.util.HashMap<>(AssessmentPublisher.producerConfig(bootstrapServers, Duration.ofSeconds(60)));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "credpipe-ingest-floor");
        return config;
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, List<AssessmentEvent> events)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (AssessmentEvent event : events) {
            byte[] key = Topics.ASSESSMENTS.keySerde().serializer().serialize(Topics.ASSESSMENTS.name(), event.operatorId());
            byte[] value = Topics.ASSESSMENTS.valueSerde().serializer().serialize(Topics.ASSESSMENTS.name(), event);
            acks.add(producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), key, value)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private static List<AssessmentEvent> events(String prefix, int count) {
        List<AssessmentEvent> events = new ArrayList<>(count);
        Instant at = Instant.parse("2026-05-20T09:30:00Z");
        for (int i = 0; i < count; i++) {
            events.add(AssessmentEvent.recorded(prefix + "-" + i, at, "hr1", new Operator("acme:E" + (i % 10_000), "Dana Ruiz", null),
                    StatementId.parse("51-8091.00@v.26.05/emerging/" + (1 + i % 10)).orElseThrow(),
                    AssessmentResult.PASS, new Assessor("acme:S77", null), "observation"));
        }
        return events;
    }

    private static void createTopics(String bootstrapServers) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>(Topics.ALL.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(Optional.of(3), Optional.of((short) 1))).toList());
            if (!existing.contains(FLOOR_TOPIC)) {
                missing.add(new NewTopic(FLOOR_TOPIC, 3, (short) 1));
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            try {
                PartitionReadiness.await(admin, missing.stream().map(NewTopic::name).toList(), Duration.ofSeconds(30));
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    private static void publishFrameworks(String bootstrapServers) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            FrameworkSeed.publish(producer);
            producer.flush();
        }
    }

    private static void write(Settings settings, Result result, double loadBefore, double loadAfter) throws IOException {
        StringBuilder cpuRows = new StringBuilder();
        for (String group : result.httpCpu().byGroup().keySet()) {
            cpuRows.append(String.format(java.util.Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", group,
                    result.httpCpu().microsPerEvent(result.httpCpu().byGroup().get(group)),
                    result.floorCpu().microsPerEvent(result.floorCpu().byGroup().getOrDefault(group, 0L)),
                    result.producerCpu().microsPerEvent(result.producerCpu().byGroup().getOrDefault(group, 0L))));
        }
        String markdown = String.format(java.util.Locale.ROOT, """
                # Ingest benchmark: HTTP NDJSON batches vs the raw Kafka producer

                Measured %s with `credpipe bench ingest` on the embedded single-node broker
                (JDK %s, %d available processors, system load average %.1f before / %.1f after: a load
                above the core count means other processes shared the machine).

                | path | events | events/s | process CPU µs / event |
                |---|---:|---:|---:|
                | HTTP `POST /v1/assessments`, NDJSON batches of %d, %d client(s) | %d | %,.0f | %.1f |
                | HTTP floor: the same requests to a handler that only forwards each line to the producer | %d | %,.0f | %.1f |
                | raw `KafkaProducer` (idempotent, `acks=all`), same records | %d | %,.0f | %.1f |

                **Ratio HTTP / raw producer: %.2f** by events/s; **%.2f** by process CPU per event (target: at least 0.50).

                **HTTP floor / raw producer: %.2f** by events/s; **%.2f** by process CPU per event. The floor is
                the least any ingest over HTTP does: the same clients and batches, the same server library
                and producer settings, and a handler that splits the body into lines, sends each unkeyed as
                it came (no parsing, validation, duplicate or source check) and answers once every line is
                acknowledged. No ingest that answers over HTTP only for what is durably in Kafka can be
                faster here, so this is the most the ratio above can reach on this machine.

                Process CPU per event by thread group (µs):

                | threads | HTTP path | HTTP floor | raw producer |
                |---|---:|---:|---:|
                %s
                Both paths write the same serialized events to `assessments` with the same producer
                settings. The HTTP path adds, per event: NDJSON parsing, JSON Schema validation
                (networknt), the duplicate check (SHA-256 into the seen-id index), the source check, and
                a wait for the broker's acknowledgement of the whole batch before the answer. Each
                run is preceded by an unmeasured warm-up of max(1,000, N/10) events on each path.
                Broker, ingest server and HTTP client share one JVM and the machine's cores, so the
                HTTP path is CPU-bound here, and the process's CPU per event compares the two paths
                even when other processes take cores away; the HTTP column includes the benchmark's
                own clients building the request bodies.
                """, Instant.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter,
                settings.batchSize(), settings.clients(), settings.events(), result.httpPerSecond(),
                result.httpCpu().microsPerEvent(result.httpCpu().processNanos()),
                settings.events(), result.floorPerSecond(), result.floorCpu().microsPerEvent(result.floorCpu().processNanos()),
                settings.events(), result.producerPerSecond(), result.producerCpu().microsPerEvent(result.producerCpu().processNanos()),
                result.ratio(), result.cpuRatio(), result.floorRatio(), result.floorCpuRatio(), cpuRows.toString().stripTrailing());
        Files.createDirectories(settings.result().toAbsolutePath().getParent());
        Files.writeString(settings.result(), markdown);
    }
}
