package io.credpipe.verifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.fuzz.JsonLdMutations;
import io.credpipe.verifier.fuzz.JwtMutations;
import io.credpipe.verifier.fuzz.Mutant;
import io.credpipe.verifier.fuzz.SignedSeeds;
import io.credpipe.verifier.http.LocalIssuer.Case;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/verify} against mutated credentials and hostile bodies, the HTTP share of the
 * verifier fuzzing ({@code credpipe.fuzz.inputs} / 10 requests, 500 unless set; seeded like
 * {@code VerifierFuzzTest}): every answer is a 200 report that is not "verified", or a 4xx
 * {@code application/problem+json}; never a 5xx.
 */
class VerifyApiFuzzTest {

    private static final int REQUESTS = Integer.getInteger("credpipe.fuzz.inputs", 5_000) / 10;
    private static final long SEED = Long.getLong("credpipe.fuzz.seed", 20261205L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalIssuer issuer;
    private static VerifyService service;

    @BeforeAll
    static void start() {
        issuer = new LocalIssuer();
        service = new VerifyService();
    }

    @AfterAll
    static void stop() {
        service.close();
        issuer.close();
    }

    @Test
    void everyAnswerIsANotVerifiedReportOrA4xxProblem() throws Exception {
        System.out.println("VerifyApiFuzzTest: seed " + SEED + ", " + REQUESTS + " requests");
        Random random = new Random(SEED);
        SignedSeeds keys = new SignedSeeds();
        JwtMutations jwt = new JwtMutations(random, keys, false);
        JsonLdMutations ld = new JsonLdMutations(random, keys, false);
        String token = issuer.jws(Case.VALID);
        ObjectNode secured = issuer.dataIntegrityCredential(Case.VALID);
        Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            int pick = random.nextInt(100);
            String kind;
            String contentType;
            byte[] body;
            if (pick < 40) {
                Mutant mutant = jwt.mutate(token);
                kind = mutant.kind().replaceAll(":.*", "");
                contentType = random.nextBoolean() ? "application/jwt" : "text/plain";
                body = mutant.text().getBytes(StandardCharsets.UTF_8);
            } else if (pick < 60) {
                Mutant mutant = ld.mutate(secured);
                kind = mutant.kind().replaceAll(":.*", "");
                contentType = "application/json";
                body = mutant.text().getBytes(StandardCharsets.UTF_8);
            } else if (pick < 70) {
                kind = "enveloped";
                contentType = "application/json";
                body = JSON.createObjectNode().put("@context", "https://www.w3.org/ns/credentials/v2")
                        .put("type", "EnvelopedVerifiableCredential")
                        .put("id", "data:application/vc+jwt," + jwt.mutate(token).text()).toString().getBytes(StandardCharsets.UTF_8);
            } else if (pick < 80) {
                kind = "url";
                contentType = "application/json";
                String[] urls = {"file:///etc/passwd", "http://127.0.0.1:1/x", issuer.url(Case.TAMPERED), issuer.url(Case.WRONG_KEY),
                    issuer.base() + "/credentials/none", "javascript:alert(1)", "", "http://[::1", "data:application/jwt," + token.substring(5),
                    issuer.url(Case.VALID).replace("127.0.0.1", "localhost"), "https://" + "a".repeat(3000) + ".example/"};
                ObjectNode request = JSON.createObjectNode();
                switch (random.nextInt(4)) {
                    case 0 -> request.put("url", 123);
                    case 1 -> request.putArray("url").add(urls[0]);
                    default -> request.put("url", urls[random.nextInt(urls.length)]);
                }
                body = request.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                kind = "hostile-body";
                String[] types = {"application/json", "application/jwt", "text/plain", "application/xml", "multipart/form-data",
                    "application/json; charset=latin1", "", "application/vc+ld+json"};
                contentType = types[random.nextInt(types.length)];
                body = hostile(random, token);
            }
            HttpResponse<String> response = post(contentType, body);
            String where = "seed " + SEED + ", request " + i + " (" + kind + ", " + contentType + "): " + response.body();
            int status = response.statusCode();
            assertThat(status).as(where).isLessThan(500);
            if (status == 200) {
                JsonNode report = JSON.readTree(response.body());
                // An added context that leaves every term's meaning alone may verify (VerifierFuzzTest checks that it does so only then).
                if (!kind.equals("ld.vocab")) {
                    assertThat(report.path("verdict").asText()).as(where).isIn("not-verified", "cannot-tell");
                }
            } else {
                assertThat(status).as(where).isBetween(400, 499);
                assertThat(response.headers().firstValue("Content-Type")).as(where).hasValue("application/problem+json");
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.path("status").asInt()).as(where).isEqualTo(status);
                assertThat(response.body()).as(where).doesNotContain("Exception").doesNotContain("\tat ");
            }
            counts.computeIfAbsent(kind, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        }
        counts.forEach((kind, statuses) -> System.out.println("  " + kind + " " + statuses));
    }

    private static byte[] hostile(Random random, String token) {
        return switch (random.nextInt(7)) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(2000)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 1 -> "[".repeat(5_000 + random.nextInt(50_000)).getBytes(StandardCharsets.US_ASCII);
            case 2 -> ("{\"url\":\"" + "\\ud800".repeat(10) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'};
            case 4 -> ("\uFEFF" + token + "\u0000").getBytes(StandardCharsets.UTF_8);
            case 5 -> (token + "\n" + token).getBytes(StandardCharsets.UTF_8);
            default -> "{\"proof\":{\"type\":\"DataIntegrityProof\"},\"@context\":{\"@vocab\":\"x:\"}}".getBytes(StandardCharsets.UTF_8);
        };
    }

    private static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.base() + "/v1/verify"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
