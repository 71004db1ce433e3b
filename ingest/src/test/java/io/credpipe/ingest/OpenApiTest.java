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

/**
 * The OpenAPI document covers every route ingest serves, each operation with an example. The
 * document is the whole pipeline's (evaluator, issuer and operations too): the app's PipelineIT
 * checks it against every route of the running server.
 */
class OpenApiTest {

    @Test
    void everyRouteIngestServesIsDocumented() throws Exception {
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
        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        assertThat(served).isNotEmpty();
        assertThat(undocumented).as("routes ingest serves that the OpenAPI document lacks").isEmpty();
    }

    @Test
    void everyOperationHasAnExample() throws Exception {
        JsonNode document = new ObjectMapper().readTree(IngestService.openApi());
        Set<String> without = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            JsonNode op = operation.getValue();
            boolean example = !op.path("requestBody").findValues("example").isEmpty() || !op.path("requestBody").findValues("examples").isEmpty()
                    || !op.path("responses").findValues("example").isEmpty() || !op.path("responses").findValues("examples").isEmpty();
            if (!example) {
                without.add(operation.getKey() + " " + path.getKey());
            }
        }));
        assertThat(without).as("operations without an example of a request or a response").isEmpty();
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
