package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the verifier the Digital Credentials Consortium ships: credentials issued
 * through the running pipeline, downloaded as {@code .ld.json} (the file the Learner Credential Wallet
 * imports and VerifierPlus checks), verified by {@code @digitalcredentials/verifier-core} in Node.js
 * ({@link DccNode}) with nothing of ours in between: it resolves the issuer's {@code did:web}
 * over HTTPS (the pipeline behind a {@link TlsFront}, its certificate trusted by Node), checks the
 * {@code eddsa-rdfc-2022} proof with its own bundled contexts, requires the issuer to be the
 * controller of the proof's key, fetches and verifies the Bitstring Status List, and checks expiry.
 * Its fifth step, the issuer registries, needs the DCC's registries on the internet and is not
 * asserted; its schema check reads the 1EdTech JSON Schema from a local copy of the published file.
 */
@ExtendWith(RealKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DccVerifierIT {

    private static final String SCHEMA_URL =
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TlsFront front;
    private Pipeline pipeline;
    private String base;
    private String adminKey;
    private IssuedCredential dana;
    private IssuedCredential lee;
    private DccNode node;
    private Path files;

    @BeforeAll
    void start(KafkaBroker kafka, @TempDir Path data) throws Exception {
        boolean nodeOnPath = NodeWallet.available();
        Assumptions.assumeTrue(nodeOnPath || System.getenv("CI") != null,
                "Node.js and npm are needed for the DCC's verifier-core (CI requires them)");
        assertThat(nodeOnPath).as("Node.js and npm on the PATH").isTrue();
        DccNode.install();
        front = TlsFront.start(Files.createDirectories(data.resolve("tls")));
        pipeline = Pipeline.start(new Pipeline.Options(Optional.of(kafka.bootstrapServers()), data.resolve("pipeline"),
                Optional.of(2), "127.0.0.1", 0, Optional.of(front.base()), "credpipe DCC interop test issuer", Optional.empty(),
                EnumSet.allOf(Pipeline.Service.class)));
        base = pipeline.httpBase("127.0.0.1");
        front.forwardTo(base);
        String key = pipeline.apiKeys().rotate("hr1", false).key();
        adminKey = pipeline.apiKeys().rotate("admin", true).key();
        dana = earn(key, new Operator("acme:D1", "Dana Ruiz", "dana@example.com"), "d");
        lee = earn(key, new Operator("acme:D2", "Lee Chen", "lee@example.com"), "l");
        files = Files.createDirectories(data.resolve("files"));
        node = new DccNode(front.certificate(), Map.of(SCHEMA_URL,
                Paths.get("../verifier/src/main/resources/io/credpipe/verifier/credential/schemas/ob_v3p0_achievementcredential_schema.json")));
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (front != null) {
            front.close();
        }
    }

    private IssuedCredential earn(String key, Operator operator, String prefix) throws Exception {
        Framework chemical = SeedFrameworks.load().get(0);
        AssessmentClient client = new AssessmentClient(base, key);
        Instant when = Instant.parse("2026-05-20T09:30:00Z");
        int n = 0;
        for (Statement statement : chemical.statements(Level.EMERGING)) {
            n++;
            HttpResponse<String> sent = client.send(AssessmentEvent.recorded("dcc-" + prefix + n, when.plusSeconds(60L * n),
                    "hr1", operator, statement.id(), AssessmentResult.PASS, new Assessor("acme:S77", "Sam"), "observation"));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        }
        return CredentialsTopic.awaitOnly(pipeline.bootstrapServers(), operator.id());
    }

    /** The credential's {@code .ld.json} download, read through the public https URL as a wallet does. */
    private ObjectNode download(IssuedCredential credential) throws Exception {
        Instant deadline = Instant.now().plus(KafkaBroker.PATIENCE);
        HttpResponse<String> response;
        do {
            response = get(front.base() + "/credentials/" + credential.credentialId() + ".ld.json", "*/*");
            if (response.statusCode() == 200) {
                return (ObjectNode) mapper.readTree(response.body());
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the download never answered: " + response.statusCode() + " " + response.body());
    }

    private HttpResponse<String> get(String url, String accept) throws Exception {
        // The test reaches the front with the JDK's client: trusting its certificate there is not the
        // point, so these reads go to the pipeline's own http port with the same path.
        String local = url.replace(front.base(), base);
        return http.send(HttpRequest.newBuilder(URI.create(local)).header("Accept", accept)
                .header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path save(String name, JsonNode credential) throws Exception {
        Path file = files.resolve(name + ".ld.json");
        Files.write(file, mapper.writeValueAsBytes(credential));
        return file;
    }

    private static List<String> failedSteps(JsonNode result) {
        List<String> failed = new ArrayList<>();
        result.path("log").forEach(step -> {
            if (!step.path("valid").asBoolean(false)) {
                failed.add(step.path("id").asText() + (step.has("error") ? " " + step.path("error") : ""));
            }
        });
        return failed;
    }

    private static boolean step(JsonNode result, String id) {
        for (JsonNode step : result.path("log")) {
            if (step.path("id").asText().equals(id)) {
                return step.path("valid").asBoolean(false);
            }
        }
        throw new AssertionError("verifier-core logged no " + id + " step: " + result);
    }

    @Test
    void verifierCoreVerifiesOurCredentialAndRefusesATamperedOneAndARevokedOne() throws Exception {
        ObjectNode credential = download(dana);
        String did = "did:web:127.0.0.1%3A" + URI.create(front.base()).getPort();
        assertThat(credential.path("issuer").path("id").asText()).as("the issuer is the DID whose key signs").isEqualTo(did);
        assertThat(credential.path("proof").path("verificationMethod").asText()).startsWith(did + "#z6Mk");

        ObjectNode tampered = credential.deepCopy();
        ((ObjectNode) tampered.path("credentialSubject").path("achievement")).put("name", "Advanced");
        ObjectNode forged = credential.deepCopy();
        ((ObjectNode) forged.path("issuer")).put("id", front.base() + "/issuer");

        Path good = save("good", credential);
        Path changed = save("tampered", tampered);
        Path otherIssuer = save("other-issuer", forged);
        JsonNode results = node.verify(List.of(good, changed, otherIssuer));

        JsonNode verified = results.path(good.toAbsolutePath().toString());
        assertThat(verified.has("errors")).as(verified.toString()).isFalse();
        // registered_issuer: whether a DCC issuer registry lists the DID. None is given (they live on the
        // internet), so it is false with nothing unchecked; a deployment gets listed by asking the DCC.
        assertThat(failedSteps(verified)).as(verified.toString()).containsExactly("registered_issuer");
        assertThat(step(verified, "registered_issuer")).isFalse();
        assertThat(step(verified, "valid_signature")).isTrue();
        assertThat(step(verified, "expiration")).isTrue();
        assertThat(step(verified, "revocation_status")).as("read from our status list, verified as a Data Integrity credential")
                .isTrue();
        JsonNode schema = verified.path("additionalInformation").get(0).path("results").get(0);
        assertThat(schema.path("schema").asText()).isEqualTo(SCHEMA_URL);
        assertThat(schema.path("result").path("valid").asBoolean()).as(schema.toString()).isTrue();

        JsonNode broken = results.path(changed.toAbsolutePath().toString());
        assertThat(broken.path("errors").get(0).path("name").asText()).as(broken.toString()).isEqualTo("invalid_signature");
        JsonNode impostor = results.path(otherIssuer.toAbsolutePath().toString());
        assertThat(impostor.path("errors").get(0).path("name").asText()).as("an issuer id the key's controller is not")
                .isEqualTo("invalid_signature");

        // Revoke Lee's credential and wait until the issuer's list says so.
        HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/credentials/" + lee.credentialId()
                + "/revoke")).header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"issued in error\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(202);
        ObjectNode leeCredential = download(lee);
        Instant deadline = Instant.now().plus(KafkaBroker.PATIENCE);
        while (!get(base + "/v1/operators/acme:D2/credentials?fields=summary", "application/json").body().contains("\"revoked\"")) {
            assertThat(Instant.now()).as("the revocation reaches the status list").isBefore(deadline);
            Thread.sleep(250);
        }
        Path revokedFile = save("revoked", leeCredential);
        JsonNode revokedResult = node.verify(List.of(revokedFile)).path(revokedFile.toAbsolutePath().toString());
        assertThat(revokedResult.has("errors")).as(revokedResult.toString()).isFalse();
        assertThat(step(revokedResult, "valid_signature")).isTrue();
        assertThat(step(revokedResult, "revocation_status")).as(revokedResult.toString()).isFalse();
    }

    /** A private page link for {@code operatorId}'s page, as an HR system makes it. */
    private String pageLink(String operatorId) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/operators/" + operatorId + "/access-links"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return mapper.readTree(created.body()).path("url").asText();
    }

    /** The Learner Credential Wallet page's deep link, as its QR code carries it: {vc_request_url, challenge}. */
    private Map<String, String> deepLink(String pageUrl, IssuedCredential credential) throws Exception {
        Instant deadline = Instant.now().plus(KafkaBroker.PATIENCE);
        HttpResponse<String> page;
        do {
            page = get(pageUrl + "/lcw/" + credential.credentialId(), "text/html");
            if (page.statusCode() == 200) {
                break;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(https://lcw\\.app/request\\.html\\?[^\"]+)\"")
                .matcher(page.body());
        assertThat(link.find()).as("the page links the wallet").isTrue();
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : URI.create(link.group(1).replace("&amp;", "&")).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(query.get("vc_request_url")).startsWith(front.base() + "/exchanges/");
        return query;
    }

    @Test
    void theLearnerCredentialWalletCollectsACredentialThatVerifierCoreVerifiesByBothOfItsPaths() throws Exception {
        download(dana); // waits until the credential's status list is in the issuer's store
        String page = pageLink("acme:D1");

        // The QR code's deep link, as LCW 2.1.2's requestCredential follows it: a bare DID
        // Authentication (Ed25519Signature2020, VC v2 context, the link's challenge) to vc_request_url.
        Map<String, String> link = deepLink(page, dana);
        JsonNode direct = node.collect("deep-link", link.get("vc_request_url"), link.get("challenge"));
        assertThat(direct.path("presentation").at("/proof/type").asText()).as("what the wallet signs with")
                .isEqualTo("Ed25519Signature2020");
        assertThat(direct.path("status").asInt()).as(direct.toString()).isEqualTo(200);
        JsonNode received = direct.at("/json/verifiableCredential/0");
        assertThat(received.at("/credentialSubject/id").asText()).as("bound to the wallet's DID")
                .isEqualTo(direct.path("holder").asText()).startsWith("did:key:z6Mk");
        // The same link again: single use.
        JsonNode again = node.collect("deep-link", link.get("vc_request_url"), link.get("challenge"));
        assertThat(again.path("status").asInt()).isEqualTo(410);

        // The VC-API exchange, as LCW's handleVcApiExchangeComplete runs it: {} first, then the
        // DID Authentication with the request's challenge and domain, wrapped.
        Map<String, String> second = deepLink(page, dana);
        JsonNode exchanged = node.collect("exchange", second.get("vc_request_url"), null);
        assertThat(exchanged.path("status").asInt()).as(exchanged.toString()).isEqualTo(200);
        JsonNode viaExchange = exchanged.at("/json/verifiablePresentation/verifiableCredential/0");
        assertThat(viaExchange.at("/credentialSubject/id").asText()).isEqualTo(exchanged.path("holder").asText());

        Path first = save("lcw-deep-link", received);
        Path other = save("lcw-exchange", viaExchange);
        JsonNode results = node.verify(List.of(first, other));
        for (Path file : List.of(first, other)) {
            JsonNode result = results.path(file.toAbsolutePath().toString());
            assertThat(result.has("errors")).as(result.toString()).isFalse();
            assertThat(failedSteps(result)).as(result.toString()).containsExactly("registered_issuer");
        }
    }
}
