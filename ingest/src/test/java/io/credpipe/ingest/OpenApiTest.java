package io.credpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The served routes and the OpenAPI document name the same ingest operations, no more and no fewer. */
class OpenApiTest {

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws Exception {
        Set<String> served = new TreeSet<>();
        Javalin http = Javalin.create(config -> config.events.handlerAdded(h -> {
            String method = h.getHttpMethod().name().toLowerCase(Locale.ROOT);
            if (!method.equals("head") && !method.equals("before") && !method.equals("after")) {
                served.add(method + " " + h.getPath());
            }
        }));
        // Unreachable Kafka is fine: routes are added without touching it.
        try (IngestService ingest = new IngestService(new IngestConfig("127.0.0.1:1", Duration.ofMillis(100)))) {
            ingest.addRoutes(http);
        }

        JsonNode document = new ObjectMapper().readTree(IngestService.openApi());
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths").get(path).fields().forEachRemaining(operation -> {
                // The pipeline's document also covers other services' routes, each marked with the
                // service that serves it; the app's tests hold those to their services.
                if (!operation.getValue().has("x-credpipe-service")) {
                    documented.add(operation.getKey() + " " + path);
                }
            });
        }

        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        assertThat(served).isNotEmpty().isEqualTo(documented);
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode document = new ObjectMapper().readTree(IngestService.openApi());
        Set<String> missing = new TreeSet<>();
        check(document, document, missing);
        assertThat(missing).isEmpty();
    }

    private static void check(JsonNode root, JsonNode node, Set<String> missing) {
        if (node.has("$ref") && node.get("$ref").asText().startsWith("#")) {
            if (root.at(node.get("$ref").asText().substring(1)).isMissingNode()) {
                missing.add(node.get("$ref").asText());
            }
        }
        node.forEach(child -> check(root, child, missing));
    }
}
