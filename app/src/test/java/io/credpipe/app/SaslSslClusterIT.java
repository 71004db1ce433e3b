package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.credpipe.app.demo.AssessmentClient;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.topics.client.KafkaClientSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a cluster that takes only SASL_SSL: SCRAM-SHA-512 over TLS, as a managed or
 * company cluster asks, with the client settings in a {@code --kafka-config} properties file.
 *
 * <p>The broker is Kafka's own, in-process, with two listeners: a plaintext one on which the test
 * creates the SCRAM credential (as a cluster administrator would), and the SASL_SSL one, which is
 * the only one credpipe is given. Its certificate is signed by a CA made for the run; the clients
 * trust the CA only and check the broker's host name. Every Kafka client and credpipe log line of
 * the run is captured at INFO, where Kafka prints each client's configuration, to show that no
 * password ever reaches a log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslSslClusterIT {

    private static final String USER = "credpipe";
    private static final String PASSWORD = "scram-Pa55-" + Long.toHexString(System.nanoTime());
    private static final String WRONG_PASSWORD = "not-the-Pa55-" + Long.toHexString(System.nanoTime());
    private static final String BROKER_STORE_PASSWORD = "broker-store-" + Long.toHexString(System.nanoTime());
    private static final String TRUST_STORE_PASSWORD = "trust-store-" + Long.toHexString(System.nanoTime());
    /** Where Kafka's clients and Streams print their configuration, and credpipe logs. */
    private static final List<String> CAPTURED = List.of(
            "org.apache.kafka.clients", "org.apache.kafka.streams", "org.apache.kafka.common", "io.credpipe");

    private final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
    private final Map<String, LoggerConfig> replacedLoggers = new HashMap<>();
    private AbstractAppender capture;
    private KafkaClusterTestKit cluster;
    private String secureBootstrap;
    private TestCertificates certificates;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        captureLogs();
        certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")), BROKER_STORE_PASSWORD,
                TRUST_STORE_PASSWORD);
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // The kit's own listeners (EXTERNAL for brokers and the test's admin, CONTROLLER) and a
                // SECURE one that takes SCRAM-SHA-512 over TLS only.
                .setConfigProp("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECURE://localhost:0")
                .setConfigProp("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL")
                .setConfigProp("listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .setConfigProp("listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .setConfigProp("listener.name.secure.ssl.keystore.type", "PKCS12")
                .setConfigProp("listener.name.secure.ssl.keystore.location", certificates.brokerKeyStore().toString())
                .setConfigProp("listener.name.secure.ssl.keystore.password", BROKER_STORE_PASSWORD)
                .setConfigProp("listener.name.secure.ssl.key.password", BROKER_STORE_PASSWORD)
                .build();
        System.out.printf("SaslSslClusterIT: certificates made in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        int securePort = cluster.brokers().values().iterator().next().boundPort(ListenerName.normalised("SECURE"));
        secureBootstrap = "localhost:" + securePort;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
        }
        awaitCredentialOnBroker(clientProperties(dir.resolve("probe.properties"), PASSWORD));
        System.out.printf("SaslSslClusterIT: SASL_SSL broker ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            releaseLogs();
        }
    }

    @Test
    void anEventBecomesACredentialOverSaslSsl(@TempDir Path data) throws Exception {
        Path config = clientProperties(data.resolve("client.properties"), PASSWORD);
        // What `credpipe run --bootstrap-servers … --kafka-config client.properties` builds.
        KafkaClientSettings kafka = KafkaClientSettings.load(secureBootstrap, config);
        Framework chemical = SeedFrameworks.load().get(0);
        Operator operator = new Operator("acme:S4SL", "Sasha Lee", null);
        try (Pipeline pipeline = Pipeline.start(new Pipeline.Options(Optional.of(kafka), data.resolve("data"), Optional.of(1),
                "127.0.0.1", 0, Optional.empty(), "credpipe SASL_SSL issuer", Optional.empty(),
                EnumSet.allOf(Pipeline.Service.class), null, null, null, null))) {
            AssessmentClient client = new AssessmentClient(pipeline.httpBase("127.0.0.1"),
                    pipeline.apiKeys().rotate("hr1", false).key());
            Instant when = Instant.parse("2026-05-20T09:30:00Z");
            int n = 0;
            for (Statement statement : chemical.statements(io.credpipe.model.framework.Level.EMERGING)) {
                n++;
                HttpResponse<String> answer = client.send(AssessmentEvent.recorded("sasl-" + n, when.plusSeconds(60L * n),
                        "hr1", operator, statement.id(), AssessmentResult.PASS, new Assessor("acme:S77", null), null));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            }

            IssuedCredential credential = CredentialsTopic.awaitOnly(pipeline.kafka(), operator.id());

            assertThat(credential.level()).isEqualTo(io.credpipe.model.framework.Level.EMERGING);
            assertThat(pipeline.bootstrapServers()).isEqualTo(secureBootstrap);

            // A command beside the services, on the same cluster and file: an operator's page link.
            StringWriter out = new StringWriter();
            var cli = Credpipe.commandLine();
            cli.setOut(new PrintWriter(out));
            int exit = cli.execute("links", "create", operator.id(), "--bootstrap-servers", secureBootstrap,
                    "--kafka-config", config.toString(), "--public-url", pipeline.httpBase("127.0.0.1"));
            assertThat(exit).isEqualTo(0);
            assertThat(out.toString()).contains("Link to the page of operator " + operator.id());
        }
        assertThat(String.join("\n", logLines))
                .as("Kafka printed the clients' configuration, with the JAAS config hidden")
                .contains("sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]");
        assertNoSecretLogged();
    }

    @Test
    void aWrongPasswordStopsStartUpWithOneClearLine(@TempDir Path data) throws Exception {
        Path config = clientProperties(data.resolve("wrong.properties"), WRONG_PASSWORD);
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int before = logLines.size();

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
            var cli = Credpipe.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(out));
            return cli.execute("run", "--bootstrap-servers", secureBootstrap, "--kafka-config", config.toString(),
                    "--data-dir", data.resolve("data").toString(), "--http-port", "0");
        }, "a refused login must end start-up, not retry for ever");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).contains("credpipe run: Kafka at " + secureBootstrap + " refused the connection",
                "--kafka-config", "Authentication failed", "SCRAM-SHA-512");
        List<String> during = logLines.stream().skip(before).toList();
        assertThat(during.stream().filter(line -> line.contains("\tat ")))
                .as("no stack trace flood: %s", during).hasSizeLessThanOrEqualTo(1);
        assertNoSecretLogged();
        assertThat(err.toString()).doesNotContain(WRONG_PASSWORD, TRUST_STORE_PASSWORD);
    }

    @Test
    void aBrokerCertificateNotSignedByATrustedCaStopsStartUp(@TempDir Path data) throws Exception {
        // Without the trust store the JDK's own CAs are trusted, and the test CA is none of them.
        Path config = Files.writeString(data.resolve("untrusting.properties"), Files.readAllLines(
                clientProperties(data.resolve("full.properties"), PASSWORD)).stream()
                .filter(line -> !line.startsWith("ssl.truststore")).collect(java.util.stream.Collectors.joining("\n")));
        StringWriter err = new StringWriter();

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
            var cli = Credpipe.commandLine();
            cli.setErr(new PrintWriter(err));
            return cli.execute("evaluator", "--bootstrap-servers", secureBootstrap, "--kafka-config", config.toString(),
                    "--data-dir", data.resolve("data").toString(), "--http-port", "0");
        });

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("refused the connection", "SSL handshake failed");
        assertNoSecretLogged();
    }

    @Test
    void aSettingCredpipeOwnsIsRefusedByName(@TempDir Path data) throws Exception {
        Path config = Files.writeString(data.resolve("owned.properties"), "security.protocol=SASL_SSL\nisolation.level=read_uncommitted\n");
        StringWriter err = new StringWriter();
        var cli = Credpipe.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("issuer", "--bootstrap-servers", secureBootstrap, "--kafka-config", config.toString(),
                "--data-dir", data.resolve("data").toString(), "--http-port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-config " + config + ": isolation.level is set by credpipe itself");
        assertThat(data.resolve("data")).doesNotExist();
    }

    /** The client settings an operator would write for this cluster. */
    private Path clientProperties(Path file, String password) throws Exception {
        return Files.writeString(file, String.join("\n",
                "# credpipe's connection to the SASL_SSL listener",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
                "    username=\"" + USER + "\" password=\"" + password + "\";",
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + certificates.trustStore(),
                "ssl.truststore.password=" + TRUST_STORE_PASSWORD,
                ""));
    }

    /** The broker learns the new credential from the metadata log, a moment after the controller took it. */
    private void awaitCredentialOnBroker(Path config) throws Exception {
        KafkaClientSettings kafka = KafkaClientSettings.load(secureBootstrap, config);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Admin admin = Admin.create(kafka.client(Map.of()))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void assertNoSecretLogged() {
        assertThat(logLines).as("log lines captured").isNotEmpty();
        for (String line : logLines) {
            assertThat(line).doesNotContain(PASSWORD, WRONG_PASSWORD, TRUST_STORE_PASSWORD);
        }
    }

    /** Sends every client, Streams and credpipe log event at INFO and above to {@link #logLines}, and only there. */
    private void captureLogs() {
        LoggerContext context = LoggerContext.getContext(false);
        Configuration configuration = context.getConfiguration();
        capture = new AbstractAppender("sasl-ssl-it", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    line.append('\n').append(t);
                    for (StackTraceElement frame : t.getStackTrace()) {
                        line.append("\n\tat ").append(frame);
                    }
                }
                logLines.add(line.toString());
            }
        };
        capture.start();
        configuration.addAppender(capture);
        for (String name : CAPTURED) {
            LoggerConfig existing = configuration.getLoggers().get(name);
            if (existing != null) {
                replacedLoggers.put(name, existing);
                configuration.removeLogger(name);
            }
            LoggerConfig captured = new LoggerConfig(name, Level.INFO, false);
            captured.addAppender(capture, Level.INFO, null);
            configuration.addLogger(name, captured);
        }
        context.updateLoggers();
    }

    private void releaseLogs() {
        LoggerContext context = LoggerContext.getContext(false);
        Configuration configuration = context.getConfiguration();
        for (String name : CAPTURED) {
            configuration.removeLogger(name);
            LoggerConfig replaced = replacedLoggers.get(name);
            if (replaced != null) {
                configuration.addLogger(name, replaced);
            }
        }
        context.updateLoggers();
        if (capture != null) {
            capture.stop();
        }
    }
}
