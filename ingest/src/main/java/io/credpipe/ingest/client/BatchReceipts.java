package io.credpipe.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Waits on batch receipts ({@code GET /v1/batches/{id}}) until the pipeline has processed them:
 * {@code credpipe publish --wait}, and the demo. Asks once a second; a {@code 503} or a lost
 * connection is waited out like a batch still in progress.
 */
public final class BatchReceipts {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    private final URI baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param baseUrl the ingest server, e.g. {@code http://127.0.0.1:8080}
     * @param apiKey  an API key (never logged)
     */
    public BatchReceipts(URI baseUrl, String apiKey) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    /**
     * What the receipts said when they were all finished.
     *
     * @param batches   how many batches
     * @param accepted  their accepted events
     * @param processed their processed events (all accepted ones, once finished)
     */
    public record Totals(int batches, long accepted, long processed) {}

    /** Told how far processing is, e.g. to drive a progress bar. */
    public interface Progress {
        /**
         * The latest counts over every batch.
         *
         * @param processed accepted events processed so far
         * @param accepted  accepted events in all
         */
        void processed(long processed, long accepted);
    }

    /** The server refused a receipt, or the wait ran out. */
    public static final class WaitException extends IOException {
        private static final long serialVersionUID = 1L;

        WaitException(String message) {
            super(message);
        }
    }

    /**
     * Waits until every batch is finished.
     *
     * @param ids      the batch ids the posts answered
     * @param patience how long to wait in all
     * @param progress told of the counts after each round
     * @return the final counts
     * @throws WaitException when a receipt is refused (e.g. 404) or {@code patience} runs out
     */
    public Totals awaitFinished(List<String> ids, Duration patience, Progress progress) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode[] last = new JsonNode[ids.size()];
        while (true) {
            long accepted = 0;
            long processed = 0;
            boolean finished = true;
            for (int i = 0; i < ids.size(); i++) {
                if (last[i] == null || !last[i].path("finished").asBoolean()) {
                    JsonNode status = fetch(ids.get(i));
                    if (status != null) {
                        last[i] = status;
                    }
                }
                finished &= last[i] != null && last[i].path("finished").asBoolean();
                accepted += last[i] == null ? 0 : last[i].path("accepted").asLong();
                processed += last[i] == null ? 0 : last[i].path("processed").asLong();
            }
            progress.processed(processed, accepted);
            if (finished) {
                return new Totals(ids.size(), accepted, processed);
            }
            if (System.nanoTime() > deadline) {
                throw new WaitException("the pipeline did not process every batch within " + patience.toSeconds() + " s ("
                        + processed + " of " + accepted + " events processed)");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** One receipt, or {@code null} while the server cannot answer. */
    private JsonNode fetch(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/v1/batches/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        }
        if (response.statusCode() == 503) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new WaitException("the server refused the receipt of batch " + id + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
