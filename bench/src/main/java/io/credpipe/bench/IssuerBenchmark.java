package io.credpipe.bench;

import io.credpipe.issuer.credential.SubjectIdentity;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.issuer.IssuerService;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.credential.CredentialAssembler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.credential.PublicUrls;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.topics.topic.Topic;
import io.credpipe.topics.topic.Topics;
import io.credpipe.topics.client.PartitionReadiness;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Signs credentials through the issuer's topology (exactly-once, status index allocation, stores,
 * changelogs) and, in the same run, signs the same credential payloads with raw Nimbus ES256 on
 * one thread (the topology's stream thread count), and writes credentials/s of both and their
 * ratio to a markdown file, one section per JDK feature version.
 *
 * <p>Both sides are measured warm, as a JMH benchmark would be: the topology issues
 * {@code warmUp} credentials before the measured {@code credentials}, raw signing signs
 * {@value #RAW_WARM_UP} payloads first. On two cores the JIT compilers otherwise take most of a
 * core for the first twenty seconds of the topology (broker, clients, Streams and Jackson code all
 * compile then), which a tight signing loop does not suffer. The topology also issues a quarter
 * as many again after the measured ones, so that its measured window ends while it is still busy
 * (see {@code tail()}), as raw signing's does.
 *
 * <p>Progress is read from the issuer's committed offsets on {@code achievements}, not by
 * consuming {@code credentials}: with exactly-once the offsets commit in the same transaction as
 * the credentials, and a reader of ~20 KB records would take CPU from the two cores the topology
 * runs on. Once measured, {@code credentials} is read to check it holds every credential.
 *
 * <p>Longer than 400 lines because the topology run and its raw baseline must share one warm-up, payload set and window rule.
 */
public final class IssuerBenchmark {

    /**
     * @param bootstrapServers a Kafka cluster with no credpipe topics yet
     * @param credentials how many credentials to measure
     * @param warmUp how many credentials the topology issues before the measured ones
     * @param partitions partitions of the topics (one stream task each; one stream thread runs them all)
     * @param workDir where Kafka Streams state and the benchmark's keys go
     * @param output the markdown file
     * @param commitInterval the issuer's {@code commit.interval.ms} when overridden; empty for its own (50 ms)
     */
    public record Options(String bootstrapServers, int credentials, int warmUp, int partitions, Path workDir,
            Path output, Optional<Duration> commitInterval) {
        public Options {
            Objects.requireNonNull(commitInterval, "commitInterval");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(output, "output");
            if (credentials < 2 || warmUp < 0 || partitions < 1) {
                throw new IllegalArgumentException("at least 2 credentials, no negative warm-up and 1 partition");
            }
        }
    }

    /**
     * @param issuerPerSecond credentials/s through the topology, measured warm
     * @param issuerWithStartPerSecond credentials/s from the start of the service, start-up and warm-up included
     * @param rawPerSecond raw ES256 signatures/s of the same payloads, the mean of before and after
     * @param signerPerSecond signatures/s of the same payloads with the issuer's own {@link CredentialSigner}
     * @param measured how many credentials the topology's rate is measured over (whole commits)
     * @param streamThreadBusy the stream thread's CPU time over the measured wall time
     * @param rawCpuMicrosPerSignature the raw signing thread's CPU time per signature, µs
     * @param rawBeforePerSecond raw signatures/s measured before the topology ran
     * @param rawAfterPerSecond raw signatures/s measured after it
     * @param cpuMicrosPerCredential the process's CPU time per measured credential, µs, by thread group
     */
    public record Result(double issuerPerSecond, double issuerWithStartPerSecond, double rawPerSecond,
            double signerPerSecond, long measured, double streamThreadBusy, double rawCpuMicrosPerSignature,
            double rawBeforePerSecond, double rawAfterPerSecond, Map<ThreadGroup, Double> cpuMicrosPerCredential) {
        /** Topology throughput as a share of raw signing. */
        public double ratio() {
            return issuerPerSecond / rawPerSecond;
        }
    }

    /** Where the process's CPU time goes; the broker is in the same process. */
    public enum ThreadGroup {
        STREAM_THREAD("issuer stream thread (assembly, signing, stores)"),
        GLOBAL_THREAD("issuer global thread (credential, status and framework stores)"),
        ISSUER_PRODUCER("issuer producer I/O thread"),
        BENCHMARK("benchmark (progress polling)"),
        OTHER_JAVA("broker and other Java threads"),
        NATIVE("GC, JIT compilers, RocksDB (threads outside Java)"),
        TOTAL("whole process");

        private final String description;

        ThreadGroup(String description) {
            this.description = description;
        }
    }

    /**
     * Raw signatures before the measured ones, to compile the signing path. On JDK 25 raw signing
     * reaches its steady speed only after ~12,000 signatures (2,850/s after 2,000, 3,100/s after
     * 12,000); with 5,000 the run before the topology was ~12 % slower than the one after it, which
     * lowered the raw side and flattered the ratio.
     */
    static final int RAW_WARM_UP = 20_000;
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    /** The issuer's application id here; Kafka Streams names its threads after it. */
    private static final String APPLICATION_ID = "credpipe-issuer-bench";
    /** Payloads are built this many at a time, outside the timed part, so that they need not all be held. */
    private static final int CHUNK = 1_000;
    private static final Instant ACHIEVED_AT = Instant.parse("2026-05-20T09:30:00Z");

    private final Options options;
    private final PrintStream console;
    private final Framework framework = SeedFrameworks.load().get(0);
    private final PublicUrls urls = new PublicUrls("https://credentials.example.com");

    public IssuerBenchmark(Options options, PrintStream console) {
        this.options = Objects.requireNonNull(options, "options");
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * Credentials issued after the measured ones. The measured window ends at the last commit before
     * the final one (see {@link #issue()}), so it misses up to a commit interval's credentials at the
     * end; a quarter of the measured count is more than a commit interval's work (1 s) at any rate
     * seen here, so the window still holds at least {@code credentials}. It used to end at the final
     * commit, which comes up to a commit interval after the last credential is signed: that idle
     * wait, up to 1 s of a window of 6-8 s on JDK 25, was counted against the topology.
     */
    private int tail() {
        return options.credentials() / 4;
    }

    private int total() {
        return options.warmUp() + options.credentials() + tail();
    }

    /** Runs both measurements and writes the result file. */
    public Result run() throws Exception {
        createTopics();
        publish();
        // Raw signing runs before and after the topology and the two are averaged: on a shared machine
        // the CPU's speed drifts within a run, and one side measured earlier would be favoured.
        console.printf("signing %,d credential payloads with raw Nimbus ES256 …%n", options.credentials());
        double[] rawBefore = signing(rawNimbus());
        console.printf("issuing %,d + %,d + %,d credentials through the issuer topology (%d partitions) …%n",
                options.warmUp(), options.credentials(), tail(), options.partitions());
        Topology issuer = issue();
        console.printf("signing the same %,d payloads with raw Nimbus ES256 again, then with the issuer's signer …%n",
                options.credentials());
        double[] rawAfter = signing(rawNimbus());
        CredentialSigner own = new CredentialSigner(new ECKeyGenerator(Curve.P_256).generate(),
                urls.issuerProfile() + "#key-1");
        double[] signer = signing(payload -> own.compactJws(payload.getBytes(StandardCharsets.UTF_8)).length());
        Result result = new Result(issuer.perSecond(), issuer.withStartPerSecond(), (rawBefore[0] + rawAfter[0]) / 2,
                signer[0], issuer.measured(), issuer.streamThreadBusy(), (rawBefore[1] + rawAfter[1]) / 2,
                rawBefore[0], rawAfter[0], issuer.cpuMicrosPerCredential());
        write(result);
        return result;
    }

    private record Topology(double perSecond, double withStartPerSecond, long measured, double streamThreadBusy,
            Map<ThreadGroup, Double> cpuMicrosPerCredential) {}

    private Topology issue() throws Exception {
        IssuerConfig config = new IssuerConfig(options.bootstrapServers(), APPLICATION_ID,
                options.workDir().resolve("streams"), options.workDir().resolve("issuer"), urls, "credpipe bench issuer");
        if (options.commitInterval().isPresent()) {
            config = config.withStreamsOverrides(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.commitInterval().get().toMillis()));
        }
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        Topology measured;
        try (IssuerService service = new IssuerService(config); Admin admin = Admin.create(properties)) {
            long started = System.nanoTime();
            service.start();
            long deadline = started + PATIENCE.toNanos();
            long firstAt = 0;
            long firstOffset = -1;
            long lastAt = 0;
            long lastOffset = -1;
            Map<ThreadGroup, Long> cpuAtFirst = Map.of();
            Map<ThreadGroup, Long> cpuAtLast = Map.of();
            long seen = -1;
            long committed;
            // The window runs from the first commit at or past the warm-up to the last commit before the
            // final one: whole commits, the last of them made while the topology still had work (the
            // final commit holds credentials signed after it). The final commit itself comes up to a
            // commit interval after the last credential is signed, and that idle wait is not throughput.
            while ((committed = committed(admin)) < total()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + committed + " credentials within " + PATIENCE);
                }
                if (committed != seen) {
                    seen = committed;
                    if (firstOffset < 0 && committed >= options.warmUp() && committed > 0) {
                        firstAt = System.nanoTime();
                        firstOffset = committed;
                        cpuAtFirst = cpuByGroup();
                    } else if (firstOffset >= 0) {
                        lastAt = System.nanoTime();
                        lastOffset = committed;
                        cpuAtLast = cpuByGroup();
                    }
                }
                Thread.sleep(25);
            }
            if (firstOffset < 0 || lastOffset < 0) {
                throw new IllegalStateException("the " + options.credentials() + " measured credentials were committed in"
                        + " too few transactions; measure more of them (--credentials) to get a rate");
            }
            long count = lastOffset - firstOffset;
            double span = (lastAt - firstAt) / 1e9;
            Map<ThreadGroup, Double> perCredential = new EnumMap<>(ThreadGroup.class);
            for (ThreadGroup group : ThreadGroup.values()) {
                perCredential.put(group, (cpuAtLast.get(group) - cpuAtFirst.get(group)) / 1e3 / count);
            }
            measured = new Topology(count / span, lastOffset / ((lastAt - started) / 1e9), count,
                    perCredential.get(ThreadGroup.STREAM_THREAD) * count / 1e6 / span, perCredential);
        }
        checkCredentials();
        return measured;
    }

    /**
     * Credentials the issuer has committed: its committed offsets on {@code achievements}, which
     * exactly-once commits in the same transaction as the credentials they produced. The group
     * coordinator answers with stable offsets only, never those of a transaction still open.
     */
    private long committed(Admin admin) throws Exception {
        long sum = 0;
        for (var offset : admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get().entrySet()) {
            if (offset.getKey().topic().equals(Topics.ACHIEVEMENTS.name()) && offset.getValue() != null) {
                sum += offset.getValue().offset();
            }
        }
        return sum;
    }

    /** Reads {@code credentials} back (not timed): one committed credential per achievement, no more. */
    private void checkCredentials() {
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, APPLICATION_ID + "-check");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> ids = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, byte[]> credentials = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            credentials.subscribe(List.of(Topics.CREDENTIALS.name()));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ids.size() < total() && System.nanoTime() < deadline) {
                for (var record : credentials.poll(Duration.ofMillis(200))) {
                    ids.add(record.key());
                    records++;
                }
            }
        }
        if (ids.size() != total() || records != total()) {
            throw new IllegalStateException("credentials holds " + records + " records for " + ids.size()
                    + " credential ids; " + total() + " achievements were issued");
        }
    }

    /**
     * CPU time so far of the process's threads, by group. Java threads are told apart by name
     * (Kafka Streams names its threads after the application id); the process's total CPU time less
     * theirs is the JVM's and RocksDB's own threads.
     */
    private static Map<ThreadGroup, Long> cpuByGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<ThreadGroup, Long> groups = new EnumMap<>(ThreadGroup.class);
        for (ThreadGroup group : ThreadGroup.values()) {
            groups.put(group, 0L);
        }
        long java = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread == null) {
                continue;
            }
            String name = thread.getThreadName();
            ThreadGroup group;
            if (name.startsWith("kafka-producer-network-thread | " + APPLICATION_ID + "-")) {
                group = ThreadGroup.ISSUER_PRODUCER;
            } else if (name.startsWith(APPLICATION_ID + "-") && name.contains("-GlobalStreamThread")) {
                group = ThreadGroup.GLOBAL_THREAD;
            } else if (name.startsWith(APPLICATION_ID + "-") && name.contains("-StreamThread-")) {
                group = ThreadGroup.STREAM_THREAD;
            } else if (thread.getThreadId() == Thread.currentThread().getId()) {
                group = ThreadGroup.BENCHMARK;
            } else {
                group = ThreadGroup.OTHER_JAVA;
            }
            long cpu = Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            groups.merge(group, cpu, Long::sum);
            java += cpu;
        }
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        groups.put(ThreadGroup.NATIVE, Math.max(0, total - java));
        groups.put(ThreadGroup.TOTAL, total);
        return groups;
    }

    /** Raw Nimbus, as its documentation shows it: a {@link JWSObject} of the payload, signed and serialised. */
    private ToIntFunction<String> rawNimbus() throws JOSEException {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        ECDSASigner signer = new ECDSASigner(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        return payload -> {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            try {
                jws.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jws.serialize().length();
        };
    }

    /**
     * Signs the measured credentials' payloads (the same credential JSON and claims the issuer signs)
     * on this thread after {@value #RAW_WARM_UP} warm-up signatures; payloads are built a chunk at a
     * time outside the timed parts. Returns signatures/s and CPU µs per signature.
     */
    private double[] signing(ToIntFunction<String> sign) {
        CredentialAssembler assembler = new CredentialAssembler(IssuerProfile.of(urls, "credpipe bench issuer"), urls);
        StatusLists statusLists = new StatusLists(urls);
        ObjectMapper mapper = new ObjectMapper();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long wall = 0;
        long cpuTime = 0;
        long length = 0;
        int warmUp = Math.min(RAW_WARM_UP, options.credentials());
        for (int from = -warmUp, to; from < options.credentials(); from = to) {
            List<String> payloads = new ArrayList<>(CHUNK);
            // A chunk is all warm-up or all measured.
            to = Math.min(from + CHUNK, from < 0 ? 0 : options.credentials());
            for (int i = from; i < to; i++) {
                // Warm-up payloads are measured ones too; they are only signed twice.
                int n = options.warmUp() + Math.floorMod(i, options.credentials());
                LevelAchieved achievement = achievement(n);
                CredentialId id = CredentialIssuer.legacyCredentialId(achievement);
                ObjectNode payload = assembler.assemble(achievement, framework, now,
                        new SubjectIdentity("urn:uuid:" + id.uuid(), "salt"), statusLists.entry("0-0", n));
                payload.put("iss", urls.issuerProfile()).put("sub", "urn:uuid:" + id.uuid())
                        .put("jti", urls.credential(id)).put("nbf", now.getEpochSecond());
                try {
                    payloads.add(mapper.writeValueAsString(payload));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            long started = System.nanoTime();
            long cpuStarted = cpu.getCurrentThreadCpuTime();
            for (String payload : payloads) {
                length += sign.applyAsInt(payload);
            }
            if (from >= 0) {
                wall += System.nanoTime() - started;
                cpuTime += cpu.getCurrentThreadCpuTime() - cpuStarted;
            }
        }
        if (length == 0) {
            throw new IllegalStateException("nothing was signed");
        }
        return new double[] {options.credentials() / (wall / 1e9), cpuTime / 1e3 / options.credentials()};
    }

    /**
     * The pipeline's topics as {@link Topics} describes them, except that {@code credentials} is not
     * compacted within the hour. The topic is append-only here (one credential per id), and once its
     * first 1 GiB segment rolls the broker's log cleaner copies it whole, taking a third of a core
     * for seconds from the two the issuer runs on; whether that falls into the measured window
     * would depend on the run. It is the broker's work, and in any deployment but this embedded one
     * the broker has machines of its own.
     */
    private void createTopics() throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
            topics.add(Topics.CREDENTIAL_COMMANDS);
            List<NewTopic> newTopics = topics.stream().map(topic -> {
                NewTopic created = topic.newTopic(Optional.of(options.partitions()), Optional.empty());
                if (topic == Topics.CREDENTIALS) {
                    Map<String, String> config = new HashMap<>(created.configs());
                    config.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()));
                    created.configs(config);
                }
                return created;
            }).toList();
            admin.createTopics(newTopics).all().get();
            PartitionReadiness.await(admin, newTopics.stream().map(NewTopic::name).toList(), Duration.ofSeconds(30));
        }
    }

    private void publish() throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(properties,
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
        }
        try (KafkaProducer<String, LevelDecision> producer = new KafkaProducer<>(properties,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            for (int n = 0; n < total(); n++) {
                LevelAchieved achievement = achievement(n);
                producer.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), achievement.operator().id(), achievement));
            }
            producer.flush();
        }
    }

    /** The {@code n}th achievement: the emerging level of operator {@code bench:n}, ten statements demonstrated. */
    private LevelAchieved achievement(int n) {
        Operator operator = new Operator("bench:" + n, null, null);
        List<DemonstratedStatement> statements = new ArrayList<>();
        int count = 0;
        for (Statement statement : framework.statements(Level.EMERGING)) {
            count++;
            statements.add(new DemonstratedStatement(statement.id().toString(), operator.id() + "-" + count,
                    new Assessor("bench:assessor", null), "observation", ACHIEVED_AT.minusSeconds(60L * count), null));
        }
        return new LevelAchieved(operator, framework.id(), Level.EMERGING, 1, statements, ACHIEVED_AT, null,
                LevelPolicy.DEFAULT.ref(), operator.id() + "-" + count);
    }

    private void write(Result result) throws IOException {
        int feature = Runtime.version().feature();
        StringBuilder section = new StringBuilder("## JDK " + feature + "\n\n")
                .append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append("), ").append(Runtime.getRuntime().availableProcessors()).append(" processors, ")
                .append(String.format("system load average %.1f at the end of the run%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(String.format("- %,d credentials measured after %,d issued to warm up and before %,d more; %d"
                                + " partition(s), one stream thread, exactly_once_v2, embedded single-node broker in the"
                                + " same process%n%n",
                        options.credentials(), options.warmUp(), tail(), options.partitions()))
                .append(String.format("- The issuer's `commit.interval.ms`: %s%n%n", options.commitInterval()
                        .map(d -> d.toMillis() + " ms (`--commit-interval-ms`)").orElse("its own, "
                                + io.credpipe.issuer.stream.IssuerStreams.COMMIT_INTERVAL.toMillis() + " ms")))
                .append("| measurement | credentials/s |\n|---|---:|\n")
                .append(String.format("| issuer topology, measured over %,d credentials (whole commits, more queued behind them) | %,.0f |%n",
                        result.measured(), result.issuerPerSecond()))
                .append(String.format("| issuer topology, start-up and warm-up included | %,.0f |%n",
                        result.issuerWithStartPerSecond()))
                .append(String.format("| raw Nimbus ES256 (`JWSObject`), same payloads, 1 thread (mean of before / after: %,.0f / %,.0f) | %,.0f |%n",
                        result.rawBeforePerSecond(), result.rawAfterPerSecond(), result.rawPerSecond()))
                .append(String.format("| the issuer's `CredentialSigner` alone (Nimbus `ECDSASigner`, JDK base64url), same payloads | %,.0f |%n",
                        result.signerPerSecond()))
                .append(String.format("| **ratio** (topology / raw Nimbus) | **%.0f %%** |%n", 100 * result.ratio()))
                .append(String.format("| ratio (topology / the issuer's signer alone) | %.0f %% |%n%n",
                        100 * result.issuerPerSecond() / result.signerPerSecond()))
                .append(String.format("Stream thread on CPU %.0f %% of the measured time; raw signing thread %,.0f µs CPU per"
                        + " signature. The process's CPU per measured credential:%n%n", 100 * result.streamThreadBusy(),
                        result.rawCpuMicrosPerSignature()))
                .append("| threads | CPU µs per credential |\n|---|---:|\n");
        result.cpuMicrosPerCredential().forEach((group, micros) ->
                section.append(String.format("| %s | %,.0f |%n", group.description, micros)));
        List<String> kept = new ArrayList<>();
        if (Files.exists(options.output())) {
            String existing = Files.readString(options.output());
            int start = existing.indexOf("\n## ");
            if (start >= 0) {
                for (String old : existing.substring(start + 1).split("\n(?=## )")) {
                    if (!old.startsWith("## JDK " + feature + "\n")) {
                        kept.add(old.strip() + "\n");
                    }
                }
            }
        }
        kept.add(section.toString());
        kept.sort(String::compareTo);
        String text = "# Issuer benchmark\n\n"
                + "`credpipe bench issuer`: credentials through the issuer topology (status index allocation, signing,\n"
                + "stores and changelogs in one exactly-once transaction per commit) against raw Nimbus ES256 signing of\n"
                + "the same payloads on the same number of threads, both measured warm. Target: topology >= 85 % of raw\n"
                + "signing.\n\n"
                + String.join("\n", kept);
        Path parent = options.output().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(options.output(), text);
        console.printf("%s%n", Map.of("issuer/s", Math.round(result.issuerPerSecond()),
                "raw/s", Math.round(result.rawPerSecond())));
    }
}
