package io.credpipe.app.demo;

import io.credpipe.app.Pipeline;
import io.credpipe.issuer.IssuerService;
import io.credpipe.issuer.delivery.AccessLinks;
import io.credpipe.model.credential.IssuedCredential;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The demo's operator: creates a private link to the page of the operator holding the most
 * credentials, as their HR system would ({@code POST /v1/operators/{id}/access-links}), opens it as
 * the operator's phone would, checks that it shows their credentials and a ladder per framework,
 * and prints the link.
 */
final class OperatorPageStep {

    private final Pipeline pipeline;
    private final PrintWriter console;
    private final HttpClient client = HttpClient.newHttpClient();

    OperatorPageStep(Pipeline pipeline, PrintWriter console) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.console = Objects.requireNonNull(console, "console");
    }

    /** Shows one operator's page; answers what is wrong with it, nothing when it is right. */
    List<String> show(List<IssuedCredential> credentials) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        IssuerService issuer = pipeline.issuer().orElse(null);
        if (issuer == null || credentials.isEmpty()) {
            return problems;
        }
        Map<String, Long> held = credentials.stream()
                .collect(Collectors.groupingBy(IssuedCredential::operatorId, Collectors.counting()));
        String operator = held.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElseThrow();
        AccessLinks.Created link = issuer.accessLinks().create(operator, "demo", null);
        // The link names the public URL; this run serves it on its own port, which may differ.
        String path = link.url().substring(pipeline.urls().base().length());
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                        URI.create(pipeline.httpBase("127.0.0.1") + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String body = page.body();
        long shown = count(body, "data-credential=\"");
        long ladders = count(body, "class=\"ladder\"");
        long frameworks = credentials.stream().filter(c -> c.operatorId().equals(operator))
                .map(c -> c.framework().toString()).distinct().count();
        if (page.statusCode() != 200) {
            problems.add("the page of " + operator + " answered " + page.statusCode());
        } else if (shown != held.get(operator) || ladders < frameworks) {
            problems.add("the page of " + operator + " shows " + shown + " of " + held.get(operator)
                    + " credentials and " + ladders + " of " + frameworks + " ladders");
        }
        console.printf("Operators see their credentials and progress on a private page, e.g. %s (%d credentials, "
                        + "%d frameworks; the link is open until %s):%n  %s%s%n",
                operator, held.get(operator), frameworks, link.link().expiresAt(), link.url(),
                problems.isEmpty() ? "" : " (it FAILED: " + problems.get(0) + ")");
        return problems;
    }

    private static long count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1L;
    }
}
