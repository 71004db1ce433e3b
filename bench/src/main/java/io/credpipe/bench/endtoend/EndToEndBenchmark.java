package io.credpipe.bench.endtoend;

import io.credpipe.bench.EvaluatorBenchmark;
import io.credpipe.bench.NativeThreadCpu;
import io.credpipe.bench.ThreadCpu;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.topics.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code credpipe bench end-to-end}: assessment events in over HTTP, as HR systems send them (NDJSON
 * batches from several clients), through ingest, evaluator and issuer on one broker or cluster, to
 * signed credentials readable at {@code GET /v1/credentials/{id}}. It records each stage's
 * throughput over time, the latency from an event's 202 to its credential being readable at full
 * load and at a steady rate, peak heap and resident memory, CPU per credential by thread group and
 * the throughput those CPU costs allow, and the raw baselines (idempotent producer, Nimbus ES256
 * signing) in the same run. The pipeline itself is started by the caller ({@link PipelineStarter}),
 * since the launcher that wires it depends on this module, not the reverse.
 *
 * <p>Memory stays bounded whatever N: events are made per batch as clients send them, and the run
 * keeps only the acceptance time of each level not yet credentialed and one latency per sampled
 * credential.
 *
 * <p>Over 400 lines because the phases, the credential watch and the sampler share the run's
 * counters and acceptance times; the workload, baselines, timeline and report are classes of their own.
 */
public final class EndToEndBenchmark {

    /** Starts the pipeline under test on a broker. */
    @FunctionalInterface
    public interface PipelineStarter {
        /**
         * @param bootstrapServers the broker or cluster
         * @param dataDirectory    where the pipeline keeps its state and keys
         */
        RunningPipeline start(String bootstrapServers, Path dataDirectory) throws Exception;
    }

    /** A started pipeline. */
    public interface RunningPipeline extends AutoCloseable {
        /** {@code http://host:port} of every route. */
        String httpBase();

        /** A new API key for an HR source. */
        String sourceKey(String source);

        /** The consumer group of the evaluator, whose committed offsets on {@code assessments} count its progress. */
        String evaluatorGroup();

        /** The consumer group of the issuer, whose committed offsets on {@code achievements} count its progress. */
        String issuerGroup();

        @Override
        void close();
    }

    /**
     * What to run.
     *
     * @param bootstrapServers the broker or cluster the pipeline runs on
     * @param brokers          how many brokers it has (reported)
     * @param events           N events at full load
     * @param operators        the operators they are spread over (N / operators events each)
     * @param clients          concurrent HTTP clients at full load
     * @param batchSize        events per request
     * @param steadyRate       events per second of the steady phase
     * @param steadyDuration   how long the steady phase sends
     * @param sampleEvery      at full load, check every n-th credential's readability (all at the steady rate)
     * @param partitions       partitions of the pipeline's topics
     * @param commitInterval   the stages' {@code commit.interval.ms} when overridden; empty for their own settings
     * @param workDirectory    the pipeline's data directory goes here
     * @param output           the markdown file; plots are written beside it
     */
    public record Options(String bootstrapServers, int brokers, long events, long operators, int clients, int batchSize,
            int steadyRate, Duration steadyDuration, int sampleEvery, int partitions, Optional<Duration> commitInterval,
            Path workDirectory, Path output) {
        public Options {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(commitInterval, "commitInterval");
            if (events < 1 || operators < 1 || events % operators != 0) {
                throw new IllegalArgumentException("events must be a positive multiple of operators");
            }
            if (clients < 1 || batchSize < 1 || steadyRate < 10 || sampleEvery < 1) {
                throw new IllegalArgumentException("clients, batch size and sampling must be positive, the steady rate at least 10/s");
            }
        }
    }

    static final String SOURCE = "bench-e2e";
    static final String FULL = "full load";
    static final String STEADY = "steady";
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(20);

    private final Options options;
    private final PipelineStarter starter;
    private final PrintStream log;

    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<String, Latencies> latencies = new LinkedHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong credentials = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Timeline timeline = new Timeline();
    private final Hops hops = new Hops();
    private volatile String phase = FULL;

    public EndToEndBenchmark(Options options, PipelineStarter starter, PrintStream log) {
        this.options = Objects.requireNonNull(options, "options");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.log = Objects.requireNonNull(log, "log");
        latencies.put(FULL, new Latencies());
        latencies.put(STEADY, new Latencies());
    }

    /** Runs the benchmark, writes the report and plots, and returns the report. */
    public Report run() throws Exception {
        String run = "e2e" + UUID.randomUUID().toString().substring(0, 6);
        Instant start = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        var frameworks = SeedFrameworks.load();
        int perOperator = (int) (options.events() / options.operators());
        Workload full = new Workload(frameworks, perOperator, run, SOURCE, start);
        Workload steady = new Workload(frameworks, perOperator, run + "s", SOURCE, start);
        long steadyEvents = (long) options.steadyRate() * options.steadyDuration().toSeconds();
        steadyEvents -= steadyEvents % perOperator;
        long expectedFull = options.operators() * full.credentialsPerOperator();
        long expectedSteady = steadyEvents / perOperator * steady.credentialsPerOperator();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ThreadCpu cpu = new ThreadCpu(Report.GROUPS);
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        Report.Builder report = new Report.Builder(options, perOperator, full.credentialsPerOperator());
        try (RunningPipeline pipeline = starter.start(options.bootstrapServers(), options.workDirectory().resolve("pipeline"));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()))) {
            String key = pipeline.sourceKey(SOURCE);
            URI assessments = URI.create(pipeline.httpBase() + "/v1/assessments");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(2, named("e2e-http"))).build();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService checkers = Executors.newFixedThreadPool(2, named("e2e-check"));
            Thread watcher = new Thread(() -> watchCredentials(pipeline, http, checkers, stop), "e2e-credentials");
            watcher.start();
            Thread decisions = new Thread(() -> watchDecisions(stop), "e2e-decisions");
            decisions.start();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(named("e2e-sampler"));
            long t0 = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> sample(admin, pipeline, t0), 0, 1, TimeUnit.SECONDS);
            try {
                log.printf("full load: %,d events for %,d operators, %d clients, batches of %,d …%n", options.events(),
                        options.operators(), options.clients(), options.batchSize());
                Map<String, Long> cpuBefore = cpu.snapshot();
                long processBefore = ThreadCpu.process();
                Map<String, Long> nativeBefore = NativeThreadCpu.snapshot();
                long fullStart = System.nanoTime();
                fullLoad(full, http, assessments, key);
                long sentAt = System.nanoTime();
                awaitCredentials(expectedFull, "full load");
                long fullEnd = System.nanoTime();
                report.fullLoad(Duration.ofNanos(sentAt - fullStart), Duration.ofNanos(fullEnd - fullStart), credentials.get(),
                        ThreadCpu.between(cpuBefore, cpu.snapshot()), ThreadCpu.process() - processBefore,
                        ThreadCpu.between(nativeBefore, NativeThreadCpu.snapshot()));
                log.printf("full load: %,d credentials in %.1f s%n", credentials.get(), (fullEnd - fullStart) / 1e9);

                phase = STEADY;
                long before = credentials.get();
                log.printf("steady: %,d events/s for %d s …%n", options.steadyRate(), options.steadyDuration().toSeconds());
                long steadyStart = System.nanoTime();
                steadyLoad(steady, steadyEvents, http, assessments, key);
                awaitCredentials(before + expectedSteady, "steady");
                report.steady(steadyEvents, Duration.ofNanos(System.nanoTime() - steadyStart), credentials.get() - before);
            } finally {
                stop.set(true);
                sampler.shutdownNow();
                watcher.join(30_000);
                decisions.join(30_000);
                checkers.shutdown();
                checkers.awaitTermination(30, TimeUnit.SECONDS);
            }
            report.memory(peakHeap(), Report.peakRssBytes());
        }
        log.println("raw baselines …");
        // The same events the evaluator read, in the same topic: what a bare Streams EOS aggregate makes of them.
        long baselineEvents = options.events() + steadyEvents;
        double aggregate = baseline("Streams EOS aggregate", () -> new EvaluatorBenchmark(new EvaluatorBenchmark.Options(
                options.bootstrapServers(), baselineEvents, 0, (int) Math.min(Integer.MAX_VALUE, options.operators()), options.partitions(),
                options.workDirectory().resolve("aggregate"), options.output()), log).baselineOverExistingEvents());
        report.hops(hops.markdown(), hops.complete());
        report.baselines(baseline("producer", () -> Baselines.producer(options.bootstrapServers(), full, Math.min(options.events(), 200_000))),
                baseline("signing", () -> Baselines.signing(Duration.ofSeconds(5))), aggregate);
        Report done = report.build(latencies, timeline, skipped.get(), loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        done.write(options.output());
        return done;
    }

    /** A baseline that fails (on an overloaded machine the raw producer has timed out) costs its figure, not the run's report. */
    private double baseline(String name, java.util.concurrent.Callable<Double> measure) {
        try {
            return measure.call();
        } catch (Exception e) {
            log.printf("the %s baseline failed: %s%n", name, e);
            return -1;
        }
    }

    private void fullLoad(Workload workload, HttpClient http, URI endpoint, String key) throws Exception {
        AtomicLong nextBatch = new AtomicLong();
        long batches = (options.events() + options.batchSize() - 1) / options.batchSize();
        ExecutorService clients = Executors.newFixedThreadPool(options.clients(), named("e2e-client"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                running.add(clients.submit(() -> {
                    for (long b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                        long from = b * options.batchSize();
                        post(http, endpoint, key, workload.batch(from, Math.min(options.events(), from + options.batchSize())));
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    /** Batches of a tenth of the rate every 100 ms, sent without waiting for the previous answer (at most 50 in flight). */
    private void steadyLoad(Workload workload, long events, HttpClient http, URI endpoint, String key) throws Exception {
        int perBatch = Math.max(workload.eventsPerOperator(), options.steadyRate() / 10 / workload.eventsPerOperator() * workload.eventsPerOperator());
        long interval = TimeUnit.SECONDS.toNanos(1) * perBatch / options.steadyRate();
        ExecutorService senders = Executors.newFixedThreadPool(4, named("e2e-steady"));
        Semaphore inFlight = new Semaphore(50);
        List<Future<?>> sent = new ArrayList<>();
        long next = System.nanoTime();
        try {
            for (long from = 0; from < events; from += perBatch) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += interval;
                Workload.Batch batch = workload.batch(from, Math.min(events, from + perBatch));
                inFlight.acquire();
                sent.add(senders.submit(() -> {
                    try {
                        post(http, endpoint, key, batch);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
        }
    }

    private void post(HttpClient http, URI endpoint, String key, Workload.Batch batch) throws Exception {
        for (int attempt = 0; ; attempt++) {
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body())).build(), HttpResponse.BodyHandlers.ofString());
            // The answer leads with the batch's receipt id; its "accepted" count must be the whole batch.
            // A retry after a 503 may find some or all events already written (the 503 said their
            // acknowledgement was late, not that they were lost): those count as duplicates.
            var answer = response.statusCode() == 202 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()) : null;
            if (answer != null && answer.path("accepted").asInt(-1) + (attempt > 0 ? answer.path("duplicate").asInt(0) : 0) == batch.events()) {
                long now = System.nanoTime();
                boolean steady = STEADY.equals(phase);
                for (String level : batch.completes()) {
                    acceptedAt.put(level, now);
                    if (steady) {
                        hops.mark(level, Hops.Hop.SENT, sent);
                        hops.mark(level, Hops.Hop.ACCEPTED, now);
                    }
                }
                accepted.addAndGet(batch.events());
                return;
            }
            if ((response.statusCode() == 503 || response.statusCode() == 429) && attempt < 100) {
                Thread.sleep(200);
                continue;
            }
            String body = response.body();
            throw new IllegalStateException("batch not accepted: HTTP " + response.statusCode() + " "
                    + (body.length() > 500 ? body.substring(0, 500) + " …" : body));
        }
    }

    /** Reads {@code credentials} as it is written; checks sampled ones for readability over HTTP. */
    private void watchCredentials(RunningPipeline pipeline, HttpClient http, ExecutorService checkers, AtomicBoolean stop) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        var deserializer = Topics.CREDENTIALS.valueSerde().deserializer();
        Semaphore pending = new Semaphore(1_000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            // Assigned, not subscribed: the harness reads every partition and commits nothing.
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CREDENTIALS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long seen = 0;
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long polled = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    IssuedCredential issued = deserializer.deserialize(record.topic(), record.value());
                    if (issued == null) {
                        continue;
                    }
                    credentials.incrementAndGet();
                    String level = Workload.key(issued.operatorId(), issued.framework().toString(), issued.level());
                    Latencies into = latencies.get(phase);
                    boolean steady = STEADY.equals(phase);
                    if (steady) {
                        hops.mark(level, Hops.Hop.SIGNED, polled);
                    }
                    boolean sampled = steady || seen++ % options.sampleEvery() == 0;
                    // Bounded: a check that cannot keep up is skipped and counted, never queued without end.
                    if (sampled && pending.tryAcquire()) {
                        checkers.submit(() -> {
                            try {
                                check(http, pipeline.httpBase(), issued.credentialId(), level, into);
                            } finally {
                                pending.release();
                            }
                        });
                    } else {
                        acceptedAt.remove(level);
                        if (sampled) {
                            skipped.incrementAndGet();
                        }
                    }
                }
            }
        }
    }

    /**
     * Reads {@code achievements} as the issuer does ({@code read_committed}), to time the evaluator's
     * hop: when each steady-phase decision became readable downstream.
     */
    private void watchDecisions(AtomicBoolean stop) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var deserializer = Topics.ACHIEVEMENTS.valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACHIEVEMENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long polled = System.nanoTime();
                if (!STEADY.equals(phase)) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (deserializer.deserialize(record.topic(), record.value()) instanceof LevelAchieved achieved) {
                        hops.mark(Workload.key(achieved.operator().id(), achieved.framework().toString(), achieved.level()),
                                Hops.Hop.DECIDED, polled);
                    }
                }
            }
        }
    }

    private void check(HttpClient http, String base, String credentialId, String level, Latencies into) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/v1/credentials/" + credentialId))
                .header("Accept", "application/jwt").timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    skipped.incrementAndGet();
                    return;
                }
                Thread.sleep(2);
            }
            long readable = System.nanoTime();
            if (into == latencies.get(STEADY)) {
                hops.mark(level, Hops.Hop.READABLE, readable);
            }
            Long at = acceptedAt.remove(level);
            // The credential can be readable before the client has read its 202: wait for that answer briefly.
            for (int i = 0; at == null && i < 2_000; i++) {
                Thread.sleep(5);
                at = acceptedAt.remove(level);
            }
            if (at == null) {
                skipped.incrementAndGet();
                return;
            }
            into.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(readable - at)));
        } catch (IOException e) {
            skipped.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitCredentials(long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (credentials.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": " + credentials.get() + " of " + expected + " credentials after " + DRAIN_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private void sample(Admin admin, RunningPipeline pipeline, long t0) {
        try {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put(Report.STAGE_INGEST, accepted.get());
            counts.put(Report.STAGE_EVALUATOR, committed(admin, pipeline.evaluatorGroup(), Topics.ASSESSMENTS.name()));
            counts.put(Report.STAGE_ISSUER, committed(admin, pipeline.issuerGroup(), Topics.ACHIEVEMENTS.name()));
            counts.put(Report.STAGE_CREDENTIALS, credentials.get());
            timeline.add(new Timeline.Sample((System.nanoTime() - t0) / 1e9, counts, heapUsed()));
        } catch (Exception e) {
            log.println("sampling failed: " + e);
        }
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        long sum = 0;
        for (var entry : offsets.entrySet()) {
            if (entry.getKey().toString().startsWith(topic + "-") && entry.getValue() != null) {
                sum += entry.getValue().offset();
            }
        }
        return sum;
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Used by the report's file writing. */
    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
