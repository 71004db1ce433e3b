package io.credpipe.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every problem type credpipe answers with is documented, and every deployment serves its page at
 * the path of its type URI (RFC 9457 §3.1.1), linked from each problem answer.
 */
class ProblemTypesTest {

    private static final Pattern PROBLEM_OF = Pattern.compile("Problem\\.of\\(\\s*\"([a-z0-9-]+)\"");

    private final HttpClient client = HttpClient.newHttpClient();
    private final ProblemTypes types = ProblemTypes.bundled();
    private HttpServer server;

    @BeforeEach
    void start() {
        server = new HttpServer(List.of(), List.of(http -> http.get("/refused", ctx -> {
            throw new ProblemException(Problem.of("malformed-utf8", "Malformed UTF-8", 400, "byte 3"));
        }))).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyProblemTypeInTheSourcesIsDocumented() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("..").toAbsolutePath().normalize())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")
                    && !f.toString().contains("/target/")).toList()) {
                Matcher problem = PROBLEM_OF.matcher(Files.readString(file));
                while (problem.find()) {
                    used.add(problem.group(1));
                }
            }
        }
        assertThat(used).as("problem types found in the sources").hasSizeGreaterThan(20);
        assertThat(types.slugs()).as("add each missing type to app/src/main/resources/io/credpipe/app/http/problem-types.json")
                .containsAll(used);
    }

    @Test
    void everyDocumentedTypeHasAShortPageWithAStrictPolicy() throws Exception {
        for (String slug : types.slugs()) {
            HttpResponse<String> page = get(ProblemTypes.PATH + slug, "text/html");

            assertThat(page.statusCode()).as(slug).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ProblemTypes.CONTENT_SECURITY_POLICY);
            assertThat(page.body()).contains("<h1>" + types.get(slug).orElseThrow().title().replace("<", "&lt;") + "</h1>")
                    .contains(Problem.TYPE_BASE + slug);
        }
        HttpResponse<String> json = get(ProblemTypes.PATH + "record-too-large", "application/json");
        assertThat(json.body()).contains("\"type\":\"https://credpipe.io/problems/record-too-large\"");
    }

    @Test
    void aProblemAnswerLinksToItsTypesPageAndAnUnknownTypeIs404() throws Exception {
        HttpResponse<String> refused = get("/refused", "application/json");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Link")).hasValue("</problems/malformed-utf8>; rel=\"describedby\"");
        assertThat(get("/problems/malformed-utf8", "text/html").statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = get("/problems/no-such-type", "text/html");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
