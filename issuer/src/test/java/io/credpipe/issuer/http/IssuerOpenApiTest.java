package io.credpipe.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.IssuerConfig;
import io.credpipe.issuer.IssuerService;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operation the issuer's OpenAPI document describes is served, with the method it names. */
class IssuerOpenApiTest {

    @TempDir
    Path temp;

    @Test
    void everyDocumentedRouteIsServed() throws Exception {
        Set<String> served = new TreeSet<>();
        Javalin http = Javalin.create(config -> config.events.handlerAdded(h ->
                served.add(h.getHttpMethod().name().toLowerCase(Locale.ROOT) + " " + h.getPath())));
        // Unreachable Kafka is fine: routes are added without touching it.
        try (IssuerService issuer = new IssuerService(IssuerConfig.of("127.0.0.1:1", temp.resolve("state"),
                temp.resolve("data"), Fixtures.URLS, Fixtures.ISSUER.name()))) {
            issuer.addRoutes(http);
        }

        JsonNode document = new ObjectMapper().readTree(IssuerRoutes.openApi());
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            // Javalin names path parameters the same way; the .ld.json download is the {id} route itself.
            document.get("paths").get(path).fieldNames().forEachRemaining(method -> documented.add(method + " " + path));
        }

        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        assertThat(served).containsAll(documented);
        assertThat(documented).contains("post /exchanges/{id}", "get /o/{token}/lcw/{credentialId}", "get /credentials/{id}");
    }
}
