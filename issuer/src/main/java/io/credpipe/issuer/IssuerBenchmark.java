package io.credpipe.issuer;

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
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelPolicy;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.PublicUrls;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.topic.Topic;
import io.credpipe.model.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Signs N credentials through the issuer's topology (exactly-once, status index allocation,
 * stores, changelogs) and, in the same run, signs the same credential payloads with raw Nimbus
 * ES256 on one thread (the topology's stream thread count), and writes credentials/s of both and
 * their ratio to a markdown file, one section per JDK feature version.
 */
public final class IssuerBenchmark {

    /**
     * @param bootstrapServers a Kafka cluster with no credpipe topics yet
     * @param credentials how many credentials to issue
     * @param partitions partitions of the topics (one stream task each; one stream thread runs them all)
     * @param workDir where Kafka Streams state and the benchmark's keys go
     * @param output the markdown file
     */
    public record Options(String bootstrapServers, int credentials, int partitions, Path workDir, Path output) {
        public Options {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(output, "output");
            if (credentials < 2 || partitions < 1) {
                throw new IllegalArgumentException("at least 2 credentials and 1 partition");
            }
        }
    }

    /**
     * @param issuerPerSecond credentials/s through the topology, first to last credential
     * @param issuerWithStartPerSecond credentials/s from the start of the service, start-up included
     * @param rawPerSecond raw ES256 signatures/s of the same payloads
     * @param streamThreadBusy the stream thread's CPU time over the wall time from first to last credential
     * @param streamCpuMicrosPerCredential the stream thread's CPU time per credential, µs
     * @param rawCpuMicrosPerSignature the raw signing thread's CPU time per signature, µs
     * @param rawBeforePerSecond raw signatures/s measured before the topology ran
     * @param rawAfterPerSecond raw signatures/s measured after it; {@code rawPerSecond} is their mean
     */
    public record Result(double issuerPerSecond, double issuerWithStartPerSecond, double rawPerSecond,
            double streamThreadBusy, double streamCpuMicrosPerCredential, double rawCpuMicrosPerSignature,
            double rawBeforePerSecond, double rawAfterPerSecond) {
        /** Topology throughput as a share of raw signing. */
        public double ratio() {
            return issuerPerSecond / rawPerSecond;
        }
    }

    private static final Duration PATIENCE = Duration.ofMinutes(10);
    /** The issuer's application id here; Kafka Streams names its threads after it. */
    private static final String APPLICATION_ID = "credpipe-issuer-bench";

    private final Options options;
    private final PrintStream console;

    public IssuerBenchmark(Options options, PrintStream console) {
        this.options = Objects.requireNonNull(options, "options");
        this.console = Objects.requireNonNull(console, "console");
    }

    /** Runs both measurements and writes the result file. */
    public Result run() throws Exception {
        Framework framework = SeedFrameworks.load().get(0);
        PublicUrls urls = new PublicUrls("https://credentials.example.com");
        createTopics();
        List<LevelAchieved> achievements = new ArrayList<>();
        for (int i = 0; i < options.credentials(); i++) {
            achievements.add(achievement(framework, new Operator("bench:" + i, null, null)));
        }
        publish(framework, achievements);
        // Raw signing runs before and after the topology and the two are averaged: on a shared machine
        // the CPU's speed drifts within a run, and one side measured earlier would be favoured.
        console.printf("signing %,d credential payloads with raw Nimbus ES256 …%n", options.credentials());
        double[] rawBefore = rawSigning(framework, urls, achievements);
        console.printf("issuing %,d credentials through the issuer topology (%d partitions) …%n", options.credentials(),
                options.partitions());
        double[] issuer = issue(urls);
        console.printf("signing the same %,d payloads with raw Nimbus ES256 again …%n", options.credentials());
        double[] rawAfter = rawSigning(framework, urls, achievements);
        Result result = new Result(issuer[0], issuer[1], (rawBefore[0] + rawAfter[0]) / 2, issuer[2], issuer[3],
                (rawBefore[1] + rawAfter[1]) / 2, rawBefore[0], rawAfter[0]);
        write(result);
        return result;
    }

    private double[] issue(PublicUrls urls) throws Exception {
        IssuerConfig config = new IssuerConfig(options.bootstrapServers(), APPLICATION_ID,
                options.workDir().resolve("streams"), options.workDir().resolve("issuer"), urls, "credpipe bench issuer");
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, APPLICATION_ID + "-reader");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (IssuerService service = new IssuerService(config);
                KafkaConsumer<String, IssuedCredential> credentials = new KafkaConsumer<>(consumer,
                        Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
            credentials.subscribe(List.of(Topics.CREDENTIALS.name()));
            long started = System.nanoTime();
            service.start();
            // Steady state: from the first committed credential to the last, as a reader sees them.
            Set<String> seen = new HashSet<>();
            long first = 0;
            long last = 0;
            long cpuAtFirst = 0;
            long deadline = started + PATIENCE.toNanos();
            while (seen.size() < options.credentials()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen.size() + " credentials within " + PATIENCE);
                }
                for (var record : credentials.poll(Duration.ofMillis(20))) {
                    if (seen.add(record.key())) {
                        last = System.nanoTime();
                        if (first == 0) {
                            first = last;
                            cpuAtFirst = streamThreadCpuNanos();
                        }
                    }
                }
            }
            long finished = System.nanoTime();
            long streamCpu = streamThreadCpuNanos() - cpuAtFirst;
            double span = (last - first) / 1e9;
            double steady = (options.credentials() - 1) / span;
            double withStart = options.credentials() / ((finished - started) / 1e9);
            return new double[] {steady, withStart, streamCpu / 1e9 / span,
                    streamCpu / 1e3 / (options.credentials() - 1)};
        }
    }

    /**
     * CPU time so far of the issuer's stream threads: compared with the wall time it tells whether
     * the topology was computing or waiting (commits, the broker, other processes on the machine).
     */
    private static long streamThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith(APPLICATION_ID + "-")
                    // "-StreamThread-n", not the "-GlobalStreamThread" that fills the global stores.
                    && thread.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /** Raw Nimbus: the same credential JSON with the same claims, signed ES256 on one thread. */
    /** Signatures/s and CPU µs per signature. */
    private double[] rawSigning(Framework framework, PublicUrls urls, List<LevelAchieved> achievements) throws JOSEException {
        CredentialAssembler assembler = new CredentialAssembler(IssuerProfile.of(urls, "credpipe bench issuer"), urls);
        StatusLists statusLists = new StatusLists(urls);
        ObjectMapper mapper = new ObjectMapper();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> payloads = new ArrayList<>(achievements.size());
        int index = 0;
        for (LevelAchieved achievement : achievements) {
            CredentialId id = CredentialIssuer.credentialId(achievement);
            ObjectNode payload = assembler.assemble(achievement, framework, now,
                    new SubjectIdentity("urn:uuid:" + id.uuid(), "salt"), statusLists.entry("0-0", index++));
            payload.put("iss", urls.issuerProfile()).put("sub", "urn:uuid:" + id.uuid())
                    .put("jti", urls.credential(id)).put("nbf", now.getEpochSecond());
            try {
                payloads.add(mapper.writeValueAsString(payload));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        ECDSASigner signer = new ECDSASigner(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        // Warm up the JIT as the topology's first records do.
        for (int i = 0; i < Math.min(500, payloads.size()); i++) {
            new JWSObject(header, new Payload(payloads.get(i))).sign(signer);
        }
        long started = System.nanoTime();
        long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long length = 0;
        for (String payload : payloads) {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            jws.sign(signer);
            length += jws.serialize().length();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMicros = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted) / 1e3
                / payloads.size();
        if (length == 0) {
            throw new IllegalStateException("nothing was signed");
        }
        return new double[] {payloads.size() / seconds, cpuMicros};
    }

    private void createTopics() throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
            topics.add(Topics.CREDENTIAL_COMMANDS);
            admin.createTopics(topics.stream()
                    .map(t -> t.newTopic(Optional.of(options.partitions()), Optional.empty())).toList()).all().get();
        }
    }

    private void publish(Framework framework, List<LevelAchieved> achievements) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, Framework> frameworks = new KafkaProducer<>(properties,
                Topics.FRAMEWORKS.keySerde().serializer(), Topics.FRAMEWORKS.valueSerde().serializer())) {
            frameworks.send(new ProducerRecord<>(Topics.FRAMEWORKS.name(), framework.id().toString(), framework)).get();
        }
        try (KafkaProducer<String, LevelDecision> producer = new KafkaProducer<>(properties,
                Topics.ACHIEVEMENTS.keySerde().serializer(), Topics.ACHIEVEMENTS.valueSerde().serializer())) {
            for (LevelAchieved achievement : achievements) {
                producer.send(new ProducerRecord<>(Topics.ACHIEVEMENTS.name(), achievement.operator().id(), achievement));
            }
            producer.flush();
        }
    }

    private static LevelAchieved achievement(Framework framework, Operator operator) {
        Instant at = Instant.parse("2026-05-20T09:30:00Z");
        List<DemonstratedStatement> statements = new ArrayList<>();
        int n = 0;
        for (Statement statement : framework.statements(Level.EMERGING)) {
            n++;
            statements.add(new DemonstratedStatement(statement.id().toString(), operator.id() + "-" + n,
                    new Assessor("bench:assessor", null), "observation", at.minusSeconds(60L * n), null));
        }
        return new LevelAchieved(operator, framework.id(), Level.EMERGING, 1, statements, at, null,
                LevelPolicy.DEFAULT.ref(), operator.id() + "-" + n);
    }

    private void write(Result result) throws IOException {
        int feature = Runtime.version().feature();
        String section = "## JDK " + feature + "\n\n"
                + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors() + " processors, "
                + String.format("system load average %.1f at the end of the run%n",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + "- N = " + options.credentials() + " credentials, " + options.partitions()
                + " partition(s), one stream thread, exactly_once_v2, embedded single-node broker\n\n"
                + "| measurement | credentials/s |\n|---|---:|\n"
                + String.format("| issuer topology, first to last credential | %,.0f |%n", result.issuerPerSecond())
                + String.format("| issuer topology, start-up included | %,.0f |%n", result.issuerWithStartPerSecond())
                + String.format("| raw Nimbus ES256 signing, same payloads, 1 thread (mean of before / after: %,.0f / %,.0f) | %,.0f |%n",
                        result.rawBeforePerSecond(), result.rawAfterPerSecond(), result.rawPerSecond())
                + String.format("| stream thread on CPU, first to last credential | %.0f %% of the time |%n",
                        100 * result.streamThreadBusy())
                + String.format("| CPU per credential: stream thread / raw signing thread | %,.0f µs / %,.0f µs |%n",
                        result.streamCpuMicrosPerCredential(), result.rawCpuMicrosPerSignature())
                + String.format("| **ratio** (topology / raw) | **%.0f %%** |%n", 100 * result.ratio());
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
        kept.add(section);
        kept.sort(String::compareTo);
        String text = "# Issuer benchmark\n\n"
                + "`credpipe bench issuer`: N credentials through the issuer topology (status index allocation, signing,\n"
                + "stores and changelogs in one exactly-once transaction per commit) against raw Nimbus ES256 signing of\n"
                + "the same payloads on the same number of threads. Target: topology >= 85 % of raw signing.\n\n"
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
