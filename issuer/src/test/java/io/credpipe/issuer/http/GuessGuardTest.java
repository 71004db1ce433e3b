package io.credpipe.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.issuer.ProblemServer;
import io.credpipe.issuer.delivery.GuessLimiter;
import io.credpipe.issuer.delivery.IssuerMetadata;
import io.credpipe.issuer.delivery.OfferCodes;
import io.credpipe.model.delivery.OfferEvent;
import io.credpipe.issuer.delivery.OfferLedger;
import io.credpipe.issuer.delivery.WalletEndpoints;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.issuer.delivery.WalletTokens;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.model.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing access-link tokens and pre-authorized codes over real HTTP: the client's failures are
 * counted, and past the budget it is held back with 429 and {@code Retry-After}, as a problem on
 * pages and as the OAuth error {@code slow_down} on the token endpoint, until time gives it a try back.
 */
class GuessGuardTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();
    private final MovingClock clock = new MovingClock();
    private final GuessLimiter limiter = new GuessLimiter(5, Duration.ofSeconds(30), 100, clock);

    @Test
    void unknownLinkTokensCountAndPastTheBudgetEvenAValidLinkWaits(@TempDir Path temp) throws Exception {
        try (OperatorPageServer server = new OperatorPageServer(temp, limiter)) {
            String valid = server.danasPage();
            assertThat(get(valid).statusCode()).as("successes cost nothing").isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(get(server.base() + "/o/guess" + i).statusCode()).isEqualTo(404);
                if (i < 4) {
                    assertThat(get(valid).statusCode()).isEqualTo(200);
                }
            }

            HttpResponse<String> refused = get(server.base() + "/o/guess-again");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(mapper.readTree(refused.body()).path("type").asText()).isEqualTo("https://credpipe.io/problems/too-many-guesses");
            assertThat(get(valid).statusCode()).as("the address is held back, whatever it asks").isEqualTo(429);
            assertThat(get(valid + "/credentials/x.jwt").statusCode()).as("sub-routes too").isEqualTo(429);

            clock.advance(Duration.ofSeconds(30));
            assertThat(get(valid).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void wrongPreAuthorizedCodesCountAndPastTheBudgetTheTokenEndpointSaysSlowDown() throws Exception {
        Javalin http = ProblemServer.create();
        CredentialSigner signer = new CredentialSigner(new ECKeyGenerator(Curve.P_256).generate(), "https://issuer.example/keys/1");
        WalletEndpoints endpoints = new WalletEndpoints("https://issuer.example");
        WalletIssuance issuance = new WalletIssuance(endpoints, WalletSettings.DEFAULTS, new OfferCodes(new byte[32]),
                new WalletTokens(new byte[32], clock), new NoOffers(), operator -> List.of(), new WalletCopies(signer),
                event -> { }, clock);
        new GuessGuard(limiter).guardTokenEndpoint(http, WalletEndpoints.TOKEN_PATH);
        new WalletRoutes(issuance, new IssuerMetadata(endpoints, "Example"), List::of, token -> Optional.empty(), "Example")
                .addTo(http);
        http.start("127.0.0.1", 0);
        try {
            String token = "http://127.0.0.1:" + http.port() + WalletEndpoints.TOKEN_PATH;
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> wrong = postForm(token, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code"
                        + "&pre-authorized_code=guess" + i);
                assertThat(wrong.statusCode()).isEqualTo(400);
                assertThat(mapper.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_grant");
            }

            HttpResponse<String> refused = postForm(token, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code"
                    + "&pre-authorized_code=guess-again");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode error = mapper.readTree(refused.body());
            assertThat(error.path("error").asText()).isEqualTo("slow_down");
            assertThat(error.path("error_description").asText()).contains("retry after 30 seconds");

            clock.advance(Duration.ofSeconds(30));
            assertThat(postForm(token, "grant_type=x").statusCode()).as("a try regained").isEqualTo(400);
            assertThat(postForm(token, "grant_type=x").statusCode()).isEqualTo(429);
        } finally {
            http.stop();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String url, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An offer log that has never heard of any code. */
    private static final class NoOffers implements OfferLedger {
        @Override
        public void offer(OfferEvent offered) {
        }

        @Override
        public Optional<OfferEvent> offered(String codeHash) {
            return Optional.empty();
        }

        @Override
        public List<OfferEvent> claims(String codeHash) {
            return List.of();
        }

        @Override
        public List<OfferEvent> claim(OfferEvent claim) {
            return List.of();
        }
    }

    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-06-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }
}
