package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.demo.AssessmentClient;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.json.Json;
import io.credpipe.testing.KafkaBroker;
import io.credpipe.testing.RealKafka;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The walking skeleton: an event over HTTP, through the real broker, back as a verified credential. */
@ExtendWith(RealKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();
    private Pipeline pipeline;
    private String base;
    private String hr1Key;
    private Path data;

    @BeforeAll
    void start(KafkaBroker kafka, @TempDir Path data) {
        this.data = data;
        pipeline = Pipeline.start(new Pipeline.Options(Optional.of(kafka.bootstrapServers()), data, Optional.of(2),
                "127.0.0.1", 0, Optional.empty(), "credpipe test issuer", Optional.empty(), EnumSet.allOf(Pipeline.Service.class)));
        base = pipeline.httpBase("127.0.0.1");
        hr1Key = pipeline.apiKeys().rotate("hr1", false).key();
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void theDataDirectoryIsOwnerOnly() throws Exception {
        // It holds Streams state with operators' names and the issuer's keys.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
    }

    @Test
    void eventsOverHttpBecomeAVerifiedCredential() throws Exception {
        Framework chemical = SeedFrameworks.load().get(0);
        Operator dana = new Operator("acme:E1234", "Dana Ruiz", "dana@example.com");
        AssessmentClient client = new AssessmentClient(base, hr1Key);
        Instant when = Instant.parse("2026-05-20T09:30:00Z");
        int n = 0;
        for (Statement statement : chemical.statements(Level.EMERGING)) {
            AssessmentEvent pass = AssessmentEvent.recorded("it-" + (++n), when.plusSeconds(60L * n), "hr1", dana,
                    statement.id(), AssessmentResult.PASS, new Assessor("acme:S77", "Sam"), "observation");
            HttpResponse<String> response = client.send(pass);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        IssuedCredential credential = CredentialsTopic.awaitOnly(pipeline.bootstrapServers(), dana.id());
        assertThat(credential.level()).isEqualTo(Level.EMERGING);
        assertThat(credential.framework()).isEqualTo(chemical.id());

        // The employer's view: only the credential and the issuer's published keys.
        VerificationReport report = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                .trustedKeys(URI.create(base + "/.well-known/jwks.json"))
                .build()
                .verify(credential.jwt());
        assertThat(report.verified()).as(report.describe()).isTrue();
        assertThat(verifiedByASeparateVerifierProcess(base + "/credentials/" + credential.credentialId()))
                .as("credpipe verifier, in another JVM with no data directory, verifies it over HTTP").isEqualTo("verified");

        JsonNode payload = mapper.readTree(Base64.getUrlDecoder().decode(credential.jwt().split("\\.")[1]));
        assertThat(payload.path("@context").get(0).asText()).isEqualTo("https://www.w3.org/ns/credentials/v2");
        assertThat(payload.path("type").toString()).contains("VerifiableCredential", "OpenBadgeCredential");
        assertThat(payload.path("iss").asText()).isEqualTo(payload.path("issuer").path("id").asText());
        assertThat(payload.path("jti").asText()).isEqualTo(payload.path("id").asText());
        assertThat(payload.has("nbf")).isTrue();
        assertThat(payload.has("sub")).isTrue();
        assertThat(payload.has("vc")).isFalse();
        assertThat(payload.path("validFrom").asText()).isNotEmpty();
        JsonNode alignments = payload.path("credentialSubject").path("achievement").path("alignment");
        assertThat(alignments).hasSize(11); // ten statements of the level, plus the occupation
        assertThat(alignments.get(0).path("targetCode").asText()).isEqualTo("51-8091.00@v.26.05/emerging/1");
        assertThat(alignments.get(0).path("targetUrl").asText()).isEqualTo(base + "/frameworks/51-8091.00@v.26.05/emerging/1");
        assertThat(credential.jwt()).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString("dana@example.com".getBytes()));
        assertThat(payload.toString()).doesNotContain("dana@example.com");

        HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/credentials/" + credential.credentialId()))
                .header("Accept", "application/jwt").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body().strip()).isEqualTo(credential.jwt());
    }

    /** Issue 16.5: once publish --wait returns, the consequences are visible; no polling of operators. */
    @Test
    void publishWaitReturnsWhenTheCredentialsAreVisible(@TempDir Path dir) throws Exception {
        Framework chemical = SeedFrameworks.load().get(0);
        Operator operator = new Operator(KafkaBroker.uniqueName("acme:W"), "Wen Li", null);
        StringBuilder ndjson = new StringBuilder();
        Instant when = Instant.parse("2026-05-20T09:30:00Z");
        int n = 0;
        for (Statement statement : chemical.statements(Level.EMERGING)) {
            n++;
            ndjson.append(mapper.writeValueAsString(AssessmentEvent.recorded(operator.id() + "-" + n, when.plusSeconds(60L * n), "hr1",
                    operator, statement.id(), AssessmentResult.PASS, new Assessor("acme:S77", null), null))).append('\n');
        }
        Path file = java.nio.file.Files.writeString(dir.resolve("events.ndjson"), ndjson);
        Path keyFile = java.nio.file.Files.writeString(dir.resolve("hr1.key"), hr1Key);
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine command = new picocli.CommandLine(new io.credpipe.app.command.PublishCommand());
        command.setOut(new java.io.PrintWriter(out));

        int exit = command.execute(file.toString(), "--url", base, "--key-file", keyFile.toString(), "--batch-size", "4", "--wait");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Processed: 10 accepted events of 3 batches");
        HttpResponse<String> credentials = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/operators/" + operator.id()
                + "/credentials?fields=summary")).header("Authorization", "Bearer " + hr1Key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(credentials.statusCode()).as(credentials.body()).isEqualTo(200);
        assertThat(mapper.readTree(credentials.body()).get("credentials")).as("visible at once, without waiting").hasSize(1);
    }

    /**
     * Issue 16: the pipeline's OpenAPI document (with the verifier's own for its API) and the routes
     * of the running server agree, read from its router: a route added without documenting it
     * fails here, named.
     */
    @Test
    void theOpenApiDocumentsAndTheRunningServersRoutesAgree() throws Exception {
        java.util.SortedSet<String> served = pipeline.routes();
        java.util.SortedSet<String> documented = new java.util.TreeSet<>();
        for (String document : new String[] {"/openapi.json", "/verify/openapi.json"}) {
            JsonNode paths = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(base + document)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("paths");
            paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method ->
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        }
        java.util.SortedSet<String> undocumented = new java.util.TreeSet<>(served);
        undocumented.removeAll(documented);
        java.util.SortedSet<String> unserved = new java.util.TreeSet<>(documented);
        unserved.removeAll(served);

        assertThat(served).contains("POST /v1/assessments", "GET /v1/operators/{id}/progress", "GET /v1/operators/{id}/credentials");
        assertThat(undocumented).as("routes the running server serves that no OpenAPI document describes "
                + "(add them to ingest/src/main/resources/io/credpipe/ingest/http/openapi.json, each with an example)").isEmpty();
        assertThat(unserved).as("operations the OpenAPI documents describe that the running server does not serve").isEmpty();
    }

    @Test
    void invalidEventIsAProblemNotACrash() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + hr1Key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"x-1\",\"type\":\"assessment.recorded\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("/operator").doesNotContain("Exception");
    }

    @Test
    void writingWithoutAKeyIsRefused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void anOperatorsRecordsNeedAKey() throws Exception {
        for (String record : new String[] {"credentials", "clr", "progress"}) {
            URI uri = URI.create(base + "/v1/operators/acme:E1234/" + record);
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(record).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

            HttpResponse<String> withKey = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + hr1Key)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withKey.statusCode()).as(record + ": " + withKey.body()).isNotEqualTo(401).isNotEqualTo(403);
        }
    }

    @Test
    void metricsAreServedForPrometheus() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void readyWhenServicesRun() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"kafka\":\"up\"", "\"ingest\":\"up\"", "\"evaluator\":\"up\"");
    }

    /**
     * Starts {@code credpipe verifier} from the shaded jar as its own JVM in an empty directory (no
     * access to the issuer's data directory, no Kafka) and asks its {@code POST /v1/verify} about
     * {@code credentialUrl}; answers the verdict.
     */
    private String verifiedByASeparateVerifierProcess(String credentialUrl) throws Exception {
        Path jar = Path.of("target", "credpipe.jar").toAbsolutePath();
        assertThat(jar).as("mvn package builds the shaded jar before the integration tests").exists();
        Path empty = java.nio.file.Files.createTempDirectory("verifier-alone");
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process verifier = new ProcessBuilder(javaBin, "-jar", jar.toString(), "verifier", "--http-port", String.valueOf(port),
                "--allow-http-host", "127.0.0.1")
                .directory(empty.toFile()).redirectErrorStream(true).redirectOutput(empty.resolve("verifier.log").toFile()).start();
        try {
            String verifierBase = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(verifierBase + "/verify")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
                assertThat(System.nanoTime()).as("credpipe verifier started").isLessThan(deadline);
                Thread.sleep(200);
            }
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(verifierBase + "/v1/verify"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(java.util.Map.of("url", credentialUrl))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return mapper.readTree(answer.body()).path("verdict").asText();
        } finally {
            verifier.destroy();
            verifier.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
