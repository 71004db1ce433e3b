package io.credpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.credpipe.ingest.IngestService;
import io.credpipe.issuer.delivery.IssuerMetadata;
import io.credpipe.issuer.delivery.OfferCodes;
import io.credpipe.issuer.delivery.OfferLedger;
import io.credpipe.issuer.delivery.WalletEndpoints;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.issuer.delivery.WalletTokens;
import io.credpipe.issuer.http.WalletRoutes;
import io.credpipe.issuer.signing.CredentialSigner;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.model.delivery.OfferEvent;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The pipeline's OpenAPI document names exactly the wallet routes the issuer serves. */
class WalletOpenApiTest {

    @Test
    void everyWalletRouteIsDocumentedAndEveryDocumentedWalletRouteIsServed() throws Exception {
        Set<String> served = new TreeSet<>();
        Javalin http = Javalin.create(config -> config.events.handlerAdded(h -> {
            String method = h.getHttpMethod().name().toLowerCase(Locale.ROOT);
            if (!method.equals("head") && !method.equals("before") && !method.equals("after")) {
                served.add(method + " " + h.getPath());
            }
        }));
        OfferLedger none = new OfferLedger() {
            @Override
            public void offer(OfferEvent offered) {}

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
                return List.of(claim);
            }
        };
        WalletEndpoints endpoints = new WalletEndpoints("https://credentials.example.com");
        WalletIssuance issuance = new WalletIssuance(endpoints, WalletSettings.DEFAULTS, new OfferCodes(new byte[32]),
                new WalletTokens(new byte[32], Clock.systemUTC()), none, operator -> List.of(),
                new WalletCopies(new CredentialSigner(new ECKeyGenerator(Curve.P_256).generate(), "kid")), event -> { },
                Clock.systemUTC());
        new WalletRoutes(issuance, new IssuerMetadata(endpoints, "issuer"), List::of, token -> Optional.empty(), "issuer")
                .addTo(http);

        JsonNode document;
        try (var in = IngestService.class.getResourceAsStream("/io/credpipe/ingest/http/openapi.json")) {
            document = new ObjectMapper().readTree(in);
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths").get(path).fields().forEachRemaining(operation -> {
                if ("issuer-wallet".equals(operation.getValue().path("x-credpipe-service").asText())) {
                    documented.add(operation.getKey() + " " + path);
                }
            });
        }
        assertThat(served).isNotEmpty().isEqualTo(documented);
    }
}
