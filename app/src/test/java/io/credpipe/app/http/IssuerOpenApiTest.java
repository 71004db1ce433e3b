package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.ingest.http.IngestApi;
import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.IssuerService;
import io.credpipe.model.credential.PublicUrls;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's OpenAPI document (served by ingest at {@code /openapi.json}) names exactly the
 * operators' routes the issuer serves: access links and private pages. Other issuer routes (keys,
 * status lists, credentials) predate the document and are listed in the README.
 */
class IssuerOpenApiTest {

    /** The issuer's route families the document covers; a new family is added here with its documentation. */
    private static final List<String> DOCUMENTED_FAMILIES = List.of("/v1/operators/{id}/access-links", "/o/", "/exchanges/");

    @Test
    void everyOperatorRouteOfTheIssuerIsDocumentedAndNoMore(@TempDir Path temp) throws Exception {
        Set<String> served = new TreeSet<>();
        Javalin http = Javalin.create(config -> config.events.handlerAdded(h -> {
            String method = h.getHttpMethod().name().toLowerCase(Locale.ROOT);
            // Before and after handlers (the guessing guard's) are not routes of their own.
            if (h.getHttpMethod().isHttpMethod() && DOCUMENTED_FAMILIES.stream().anyMatch(h.getPath()::startsWith)) {
                served.add(method + " " + h.getPath());
            }
        }));
        // Unreachable Kafka is fine: routes are added without touching it.
        try (IssuerService issuer = new IssuerService(new IssuerConfig("127.0.0.1:1", null, temp.resolve("state"),
                temp.resolve("data"), new PublicUrls("http://127.0.0.1:8080"), "credpipe"))) {
            issuer.addRoutes(http);
        }

        JsonNode document = new ObjectMapper().readTree(IngestApi.openApi());
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths").get(path).fields().forEachRemaining(operation -> {
                if ("issuer".equals(operation.getValue().path("x-credpipe-service").asText())) {
                    documented.add(operation.getKey() + " " + path);
                }
            });
        }
        assertThat(served).contains("get /o/{token}", "post /v1/operators/{id}/access-links", "post /exchanges/{id}",
                "get /o/{token}/lcw/{credentialId}");
        assertThat(documented).isEqualTo(served);
    }
}
