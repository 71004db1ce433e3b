package io.credpipe.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo's HR system sending its history as an HR system loading a backlog would: one NDJSON
 * batch per operator (their events in order), operators in parallel, each answered with a per-line
 * report and a batch id whose receipt the demo then waits on.
 */
final class DemoBatches {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final int THREADS = 4;

    private DemoBatches() {}

    /**
     * What the batches' answers said.
     *
     * @param outcomes how many lines were {@code accepted}, {@code duplicate}, or rejected ({@code
     *                 rejected: <reason>})
     * @param batches  the batch id of every request
     */
    record Sent(Map<String, Integer> outcomes, List<String> batches) {}

    /**
     * Sends every operator's events.
     *
     * @param base    the ingest server, e.g. {@code http://127.0.0.1:8080}
     * @param key     the HR source's API key
     * @param scripts the operators' histories
     * @param console where an unexpected answer is shown
     * @return the outcomes and batch ids
     * @throws IllegalStateException when a batch is not answered 202
     */
    static Sent send(String base, String key, List<DemoHistory.OperatorScript> scripts, PrintWriter console) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (DemoHistory.OperatorScript script : scripts) {
                answers.add(pool.submit(() -> post(http, base, key, script.sends())));
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            List<String> batches = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                JsonNode report;
                try {
                    report = answer.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("sending assessments failed: " + e.getCause().getMessage(), e.getCause());
                }
                batches.add(report.get("batch").asText());
                for (JsonNode line : report.get("lines")) {
                    String status = line.get("status").asText();
                    outcomes.merge(status.equals("rejected") ? "rejected: " + line.path("reason").asText() : status, 1, Integer::sum);
                }
            }
            return new Sent(outcomes, batches);
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode post(HttpClient http, String base, String key, List<AssessmentEvent> events)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (AssessmentEvent event : events) {
            body.append(JSON.writeValueAsString(event)).append('\n');
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assessments"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("a batch was answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
