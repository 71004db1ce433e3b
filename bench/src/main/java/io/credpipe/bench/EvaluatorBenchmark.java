package io.credpipe.bench;

import io.credpipe.evaluator.EvaluatorService;
import io.credpipe.evaluator.EvaluatorConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import io.credpipe.topics.client.PartitionReadiness;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Measures the evaluator's throughput against a baseline on one broker, in one run: N assessment
 * events for a number of operators are written to {@code assessments} once, then consumed from the
 * start by (1) a raw Kafka Streams aggregate of the same data — per operator, a small JSON state of
 * passed statements per framework, in a persistent store, updates to an output topic —, (2) the same
 * aggregate plus the event index that idempotency needs (the contract floor, {@link AggregateBaselines#contractFloor})
 * and (3) the evaluator. Both run with {@code exactly_once_v2}, one stream thread and the evaluator's commit
 * interval and poll time (50 ms and 10 ms: a baseline on Kafka's 100 ms default would commit half
 * as often and look cheaper per event for that alone); each
 * is timed from reaching RUNNING until its committed input offsets reach the end of the topic.
 *
 * <p>It writes to the pipeline's own {@code assessments}, {@code frameworks}, {@code achievements}
 * and {@code assessments-rejected} topics, so run it on a broker of its own (the bench command starts
 * an embedded one).
 */
public final class EvaluatorBenchmark {

    /**
     * What to run.
     *
     * @param warmUpEvents how many of the events each application first runs over, untimed, before any
     *     is timed (at most {@code events}; 0 for none)
     */
    public record Options(String bootstrapServers, long events, long warmUpEvents, int operators, int partitions, Path workDir,
            Path resultFile) {

        public Options {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(resultFile, "resultFile");
            if (events < 1 || operators < 1 || operators > events || partitions < 1) {
                throw new IllegalArgumentException("need events >= operators >= 1 and partitions >= 1");
            }
            if (warmUpEvents < 0 || warmUpEvents > events) {
                throw new IllegalArgumentException("the warm-up runs over 0 to all of the events");
            }
        }
    }

    /**
     * Measured throughput of one run.
     *
     * @param evaluatorCpu CPU time of every thread of the evaluator's Kafka Streams client over its run
     * @param baselineCpu the same for the baseline
     */
    public record Result(long events, int operators, double evaluatorPerSecond, double baselinePerSecond,
            Duration evaluatorTime, Duration baselineTime, Duration evaluatorCpu, Duration baselineCpu,
            Duration floorTime, Duration floorCpu) {

        /**
         * The contract floor's throughput as a share of the baseline's: the most {@link #ratio} can be
         * for any evaluator that keeps the event index DESIGN.md's idempotency needs (see
         * {@link AggregateBaselines#contractFloor}).
         */
        public double floorRatio() {
            return (double) baselineTime.toNanos() / floorTime.toNanos();
        }

        /** The same by CPU per event. */
        public double floorCpuRatio() {
            return (double) baselineCpu.toNanos() / floorCpu.toNanos();
        }

        /** The evaluator's throughput as a share of the baseline's. */
        public double ratio() {
            return evaluatorPerSecond / baselinePerSecond;
        }

        /**
         * The baseline's CPU per event as a share of the evaluator's: the throughput ratio the two would
         * have with a core each, less sensitive than {@link #ratio} to other processes on a shared machine.
         */
        public double cpuRatio() {
            return (double) baselineCpu.toNanos() / evaluatorCpu.toNanos();
        }
    }

    /** How long a run took, and the CPU time its client's threads used. */
    private record Timing(Duration elapsed, Duration cpu) {}

    private static final Duration PATIENCE = Duration.ofMinutes(30);

    private final Options options;
    private final PrintStream log;
    private final AggregateBaselines aggregates;

    public EvaluatorBenchmark(Options options, PrintStream log) {
        this.options = Objects.requireNonNull(options, "options");
        this.log = Objects.requireNonNull(log, "log");
        this.aggregates = new AggregateBaselines(options.bootstrapServers(), options.workDir());
    }

    /** Produces the events, runs all three, writes {@link Options#resultFile()} and returns the numbers. */
    public Result run() throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        createTopics();
        log.printf("producing %,d events for %,d operators …%n", options.events(), options.operators());
        long produceStart = System.nanoTime();
        produce();
        log.printf("produced in %.1f s%n", (System.nanoTime() - produceStart) / 1e9);
        warmUp();

        log.println("baseline: raw Kafka Streams aggregate …");
        String baselineId = "bench-baseline-" + UUID.randomUUID();
        Timing baselineTiming = timed(aggregates.baseline(baselineId), baselineId, options.events());
        Duration baseline = baselineTiming.elapsed();
        log.printf("baseline: %.1f s, %,.0f events/s, %.1f s CPU%n", seconds(baseline), options.events() / seconds(baseline),
                seconds(baselineTiming.cpu()));

        log.println("contract floor: the baseline plus an event index …");
        String floorId = "bench-floor-" + UUID.randomUUID();
        Timing floorTiming = timed(aggregates.contractFloor(floorId), floorId, options.events());
        log.printf("contract floor: %.1f s, %,.0f events/s, %.1f s CPU%n", seconds(floorTiming.elapsed()),
                options.events() / seconds(floorTiming.elapsed()), seconds(floorTiming.cpu()));

        log.println("evaluator …");
        String evaluatorId = "bench-evaluator-" + UUID.randomUUID();
        Timing evaluatorTiming = timed(evaluator(evaluatorId), evaluatorId, options.events());
        Duration evaluatorTime = evaluatorTiming.elapsed();
        log.printf("evaluator: %.1f s, %,.0f events/s, %.1f s CPU%n", seconds(evaluatorTime), options.events() / seconds(evaluatorTime),
                seconds(evaluatorTiming.cpu()));

        Result result = new Result(options.events(), options.operators(), options.events() / seconds(evaluatorTime),
                options.events() / seconds(baseline), evaluatorTime, baseline, evaluatorTiming.cpu(), baselineTiming.cpu(),
                floorTiming.elapsed(), floorTiming.cpu());
        EvaluatorReport.write(options, result, loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return result;
    }

    /**
     * The raw aggregate alone, over whatever {@code assessments} already holds (the end-to-end
     * benchmark's events, after its pipeline stopped): the Streams EOS baseline in that run.
     *
     * @return events per second over {@link Options#events()} events
     */
    public double baselineOverExistingEvents() throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(AggregateBaselines.OUTPUT)) {
                admin.createTopics(List.of(new NewTopic(AggregateBaselines.OUTPUT, options.partitions(),
                        (short) Math.min(3, admin.describeCluster().nodes().get().size())))).all().get();
                PartitionReadiness.await(admin, List.of(AggregateBaselines.OUTPUT), Duration.ofSeconds(30));
            }
        }
        String id = "bench-baseline-" + UUID.randomUUID();
        return options.events() / seconds(timed(aggregates.baseline(id), id, options.events()).elapsed());
    }

    /**
     * Runs each application over the first {@link Options#warmUpEvents()} events, untimed, under an
     * application id of its own. On two cores the JIT compiler otherwise took a large share of a core
     * through all three timed runs, and how much of each application's code it had compiled by then
     * moved the ratios by more than the changes they were to measure.
     */
    private void warmUp() throws Exception {
        if (options.warmUpEvents() == 0) {
            return;
        }
        log.printf("warm-up: each application over the first %,d events, untimed …%n", options.warmUpEvents());
        long start = System.nanoTime();
        String baselineId = "bench-warm-up-baseline-" + UUID.randomUUID();
        timed(aggregates.baseline(baselineId), baselineId, options.warmUpEvents());
        String floorId = "bench-warm-up-floor-" + UUID.randomUUID();
        timed(aggregates.contractFloor(floorId), floorId, options.warmUpEvents());
        String evaluatorId = "bench-warm-up-evaluator-" + UUID.randomUUID();
        timed(evaluator(evaluatorId), evaluatorId, options.warmUpEvents());
        log.printf("warm-up: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private KafkaStreams evaluator(String applicationId) {
        EvaluatorService evaluator = new EvaluatorService(new EvaluatorConfig(options.bootstrapServers(), applicationId,
                options.workDir().resolve(applicationId)));
        return new KafkaStreams(evaluator.topology(), evaluator.streamsProperties());
    }

    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<Topic<?, ?>> wanted = List.of(Topics.FRAMEWORKS, Topics.ASSESSMENTS, Topics.ACHIEVEMENTS, Topics.ASSESSMENTS_REJECTED);
            if (existing.contains(Topics.ASSESSMENTS.name())) {
                throw new IllegalStateException("the broker already has an assessments topic: run the benchmark on a broker of its own");
            }
            List<NewTopic> topics = new ArrayList<>(wanted.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(Optional.of(options.partitions()), Optional.of((short) 1))).toList());
            if (!existing.contains(AggregateBaselines.OUTPUT)) {
                topics.add(new NewTopic(AggregateBaselines.OUTPUT, options.partitions(), (short) 1));
            }
            admin.createTopics(topics).all().get();
            PartitionReadiness.await(admin, topics.stream().map(NewTopic::name).toList(), Duration.ofSeconds(30));
        }
    }

    /**
     * Per operator, events spread over both seed frameworks: passes (nine in ten) and fails of random
     * statements, in time order, as an HR system would send a year of assessments.
     */
    private void produce() throws Exception {
        List<Framework> frameworks = SeedFrameworks.load();
        ObjectMapper json = Json.newMapper();
        Random random = new Random(42);
        Instant start = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Assessor assessor = new Assessor("bench:S1", null);
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            FrameworkSeed.publish(producer);
            for (long i = 0; i < options.events(); i++) {
                int o = (int) (i % options.operators());
                Operator operator = new Operator("bench:E" + o, "Operator " + o, null);
                Framework framework = frameworks.get(random.nextInt(frameworks.size()));
                Level level = Level.values()[random.nextInt(Level.values().length)];
                StatementId statement = new StatementId(framework.id(), level,
                        1 + random.nextInt(framework.statements(level).size()));
                AssessmentResult result = random.nextInt(10) == 0 ? AssessmentResult.FAIL : AssessmentResult.PASS;
                AssessmentEvent event = AssessmentEvent.recorded("bench-" + i, start.plusSeconds(i / options.operators() * 60),
                        "bench", operator, statement, result, assessor, "observation");
                producer.send(new ProducerRecord<>(Topics.ASSESSMENTS.name(), operator.id(), json.writeValueAsBytes(event)));
            }
            producer.flush();
        }
    }

    /**
     * Runs one streams application over the first {@code events} of {@code assessments} (all of them:
     * to its end): the time from RUNNING to the commit of the last, and the CPU time of the client's
     * threads (their names carry the application id).
     */
    private Timing timed(KafkaStreams streams, String applicationId, long events) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        long[] runningAt = new long[1];
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && running.getCount() > 0) {
                runningAt[0] = System.nanoTime();
                running.countDown();
            }
        });
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> ends = endOffsets(admin, events);
            streams.start();
            if (!running.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(applicationId + " did not start");
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!caughtUp(admin, applicationId, ends)) {
                if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(applicationId + " did not finish: " + streams.state());
                }
                Thread.sleep(100);
            }
            return new Timing(Duration.ofNanos(System.nanoTime() - runningAt[0]), Duration.ofNanos(cpuOf(applicationId)));
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    /** CPU nanoseconds used so far by the live threads whose name contains {@code applicationId}. */
    private static long cpuOf(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(applicationId)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /**
     * The offset of each partition of {@code assessments} an application has read {@code events} of
     * the {@link Options#events()} by: the end for all of them, else the same share of each partition.
     */
    private Map<TopicPartition, Long> endOffsets(Admin admin, long events) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < options.partitions(); p++) {
            latest.put(new TopicPartition(Topics.ASSESSMENTS.name(), p), OffsetSpec.latest());
        }
        double share = Math.min(1.0, (double) events / options.events());
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> share >= 1.0 ? e.getValue().offset()
                        : (long) Math.ceil(e.getValue().offset() * share)));
    }

    private static boolean caughtUp(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        for (var end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            // Under exactly-once a committed offset may sit one past the last record (the commit marker).
            if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
                return false;
            }
        }
        return true;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()));
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
