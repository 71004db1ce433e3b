package io.credpipe.app.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts assessment events to an ingest endpoint as an HR system would. */
public final class AssessmentClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = Json.newMapper();
    private final URI endpoint;
    private final String apiKey;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8080}
     * @param apiKey the HR source's API key, sent as a bearer token
     */
    public AssessmentClient(String baseUrl, String apiKey) {
        this.endpoint = URI.create(baseUrl + "/v1/assessments");
        this.apiKey = apiKey;
    }

    /**
     * Sends one event and returns the HTTP status with the response body.
     *
     * @throws IOException when the server cannot be reached
     */
    public HttpResponse<String> send(AssessmentEvent event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(event)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private byte[] json(AssessmentEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an AssessmentEvent always serialises", e);
        }
    }
}
