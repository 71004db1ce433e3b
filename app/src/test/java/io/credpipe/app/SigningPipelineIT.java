package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
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
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.VerificationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline configured for RS256 and {@code typ} {@code vc+jwt} after its keys were rotated from
 * ES256: the credential and the status list it points to are both signed that way, and the
 * employer's verifier accepts them from the published keys, which hold both key types.
 */
class SigningPipelineIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void anRs256VcJwtPipelineIssuesCredentialsAndStatusListsTheVerifierAccepts(@TempDir Path data) throws Exception {
        // A broker of this test's own: the shared one carries other pipelines' consumer groups and status lists.
        try (KafkaBroker kafka = RealKafka.startPrivateBroker()) {
            IssuerKeys before = IssuerKeys.loadOrCreate(data.resolve("keys"));
            IssuerKeys rotated = before.rotate(SigningAlgorithm.RS256);
            Pipeline.Options options = new Pipeline.Options(Optional.of(kafka.bootstrapServers()), data, Optional.of(1),
                    "127.0.0.1", 0, Optional.empty(), "credpipe RSA issuer", Optional.empty(),
                    EnumSet.allOf(Pipeline.Service.class), SigningAlgorithm.RS256, JwtType.VC_JWT);
            try (Pipeline pipeline = Pipeline.start(options)) {
                String base = pipeline.httpBase("127.0.0.1");
                String hr1Key = pipeline.apiKeys().rotate("hr1", false).key();
                Operator operator = new Operator("acme:R1", "Rae Sato", null);
                Framework framework = SeedFrameworks.load().get(0);
                int n = 0;
                for (Statement statement : framework.statements(Level.EMERGING)) {
                    n++;
                    AssessmentEvent pass = AssessmentEvent.recorded("rsa-it-" + n,
                            Instant.parse("2026-05-20T09:30:00Z").plusSeconds(60L * n), "hr1", operator, statement.id(),
                            AssessmentResult.PASS, new Assessor("acme:S77", "Sam"), "observation");
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + hr1Key)
                            .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(pass))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                }

                IssuedCredential credential = CredentialsTopic.awaitOnly(pipeline.bootstrapServers(), operator.id());

                JWSObject jws = JWSObject.parse(credential.jwt());
                assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
                assertThat(jws.getHeader().getType().getType()).isEqualTo("vc+jwt");
                assertThat(jws.getHeader().getKeyID()).isEqualTo(base + "/keys/" + rotated.activeKeyId());

                // The employer's view: the credential, the published keys and the status list, all over HTTP.
                VerificationReport report = CredentialVerifier.builder().allowHttpHost("127.0.0.1")
                        .trustedKeys(URI.create(base + "/.well-known/jwks.json"))
                        .build()
                        .verify(credential.jwt());
                assertThat(report.verified()).as(report.describe()).isTrue();
                assertThat(report.check(Check.STATUS).orElseThrow().outcome()).isEqualTo(Check.Outcome.PASSED);

                JsonNode payload = mapper.readTree(jws.getPayload().toString());
                String listUrl = payload.at("/credentialStatus/statusListCredential").asText();
                HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(listUrl))
                        .header("Accept", "application/jwt").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(list.statusCode()).as(listUrl).isEqualTo(200);
                JWSObject listJws = JWSObject.parse(list.body().strip());
                assertThat(listJws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
                assertThat(listJws.getHeader().getType().getType()).isEqualTo("vc+jwt");

                JsonNode did = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/did.json"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                // The JWT keys, then the Ed25519 Multikey of Data Integrity proofs.
                assertThat(did.get("verificationMethod")).extracting(method -> method.at("/publicKeyJwk/kty").asText())
                        .containsExactly("RSA", "EC", "");
                assertThat(did.at("/verificationMethod/2/type").asText()).isEqualTo("Multikey");
                assertThat(did.toString()).contains(before.activeKeyId()).doesNotContain("\"d\"");
            }
        }
    }
}
