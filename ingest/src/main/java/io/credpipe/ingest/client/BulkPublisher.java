package io.credpipe.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.credpipe.model.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Sends a large CSV or NDJSON file of assessment events to an ingest server in batches
 * ({@code credpipe publish}), waiting out {@code 429} and {@code 503} answers and network failures
 * by resending the same batch: event ids make a resent event a {@code duplicate}, so an interrupted
 * run is resumed by running it again. Writes every rejected line, as it was in the file, to a file
 * of rejects (re-sendable once fixed), and why each was rejected to a second file.
 */
public final class BulkPublisher {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final ObjectWriter CSV_ROW = CSV.writerFor(String[].class).with(CsvSchema.emptySchema().withLineSeparator("\n"));

    private final Options options;
    private final HttpClient http;

    /**
     * How to reach the server and how much to send at once.
     *
     * @param baseUrl        the ingest server, e.g. {@code http://127.0.0.1:8080}
     * @param apiKey         the source's API key (never logged)
     * @param batchSize      lines per request, at most the server's line limit (10,000 by default)
     * @param maxBatchBytes  bytes per request, below the server's body limit
     * @param requestTimeout how long one request may take
     * @param maxAttempts    how often one batch is sent before giving up
     * @param columnMapping  for CSV, {@code column:header,…} when the file's headers differ; may be {@code null}
     */
    public record Options(URI baseUrl, String apiKey, int batchSize, long maxBatchBytes, Duration requestTimeout, int maxAttempts,
            String columnMapping) {

        /** Checks the options. */
        public Options {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            if (batchSize < 1 || maxBatchBytes < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("batch size, batch bytes and attempts must be positive");
            }
        }

        /** 5,000-line batches of at most 8 MiB, 2-minute requests, 30 attempts per batch. */
        public static Options defaults(URI baseUrl, String apiKey) {
            return new Options(baseUrl, apiKey, 5_000, 8L * 1024 * 1024, Duration.ofMinutes(2), 30, null);
        }

        @Override
        public String toString() {
            return "Options[baseUrl=" + baseUrl + ", batchSize=" + batchSize + "]";
        }
    }

    /** Told how far the run is, e.g. to drive a progress bar. */
    public interface Progress {
        /** The number of records in the file, known before the first batch. */
        void total(long records);

        /** {@code records} more records have an outcome. */
        void advanced(long records);
    }

    /**
     * What a run did.
     *
     * @param accepted     lines that entered the pipeline
     * @param duplicate    lines whose event id was already in
     * @param rejected     lines refused
     * @param rejectedFile the rejected lines, as in the input file (for CSV with its header)
     * @param reasonsFile  one JSON object per rejected line: file line, event id, reason, field errors
     * @param batches      the batch id of every request, for {@link BatchReceipts}
     */
    public record Summary(long accepted, long duplicate, long rejected, Path rejectedFile, Path reasonsFile, List<String> batches) {

        /** Creates a summary. */
        public Summary {
            batches = List.copyOf(batches);
        }
    }

    /** The server refused a batch for a reason resending cannot fix, e.g. a revoked key. */
    public static final class PublishException extends IOException {
        private static final long serialVersionUID = 1L;

        PublishException(String message) {
            super(message);
        }
    }

    /** Creates a publisher. */
    public BulkPublisher(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends a file: {@code .csv} to {@code POST /v1/assessments:import}, {@code .ndjson} or
     * {@code .jsonl} to {@code POST /v1/assessments}.
     *
     * @param file     the file
     * @param rejected where rejected lines go; reasons go to the same name with {@code .reasons.ndjson}
     * @param progress told of progress
     * @return the counts
     * @throws PublishException if the server refuses a batch for good or stays unavailable
     */
    public Summary publish(Path file, Path rejected, Progress progress) throws IOException, InterruptedException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Path reasons = rejected.resolveSibling(rejected.getFileName() + ".reasons.ndjson");
        try (BufferedWriter rejects = Files.newBufferedWriter(rejected, StandardCharsets.UTF_8);
                BufferedWriter why = Files.newBufferedWriter(reasons, StandardCharsets.UTF_8)) {
            Tally tally = new Tally(rejects, why, progress);
            if (name.endsWith(".csv")) {
                publishCsv(file, tally);
            } else if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
                publishNdjson(file, tally);
            } else {
                throw new PublishException("a file to publish ends in .csv, .ndjson or .jsonl: " + file);
            }
            return new Summary(tally.accepted, tally.duplicate, tally.rejected, rejected, reasons, tally.batches);
        }
    }

    private void publishNdjson(Path file, Tally tally) throws IOException, InterruptedException {
        long total = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    total++;
                }
            }
        }
        tally.progress.total(total);
        URI endpoint = options.baseUrl().resolve("/v1/assessments");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Batch batch = new Batch("");
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                batch.add(number, line + "\n", line);
                if (batch.size() >= options.batchSize() || batch.bytes() >= options.maxBatchBytes()) {
                    send(endpoint, "application/x-ndjson", batch, tally);
                    batch = new Batch("");
                }
            }
            if (batch.size() > 0) {
                send(endpoint, "application/x-ndjson", batch, tally);
            }
        }
    }

    private void publishCsv(Path file, Tally tally) throws IOException, InterruptedException {
        long total = 0;
        try (InputStream in = Files.newInputStream(file); MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(in)) {
            while (rows.hasNextValue()) {
                String[] row = rows.nextValue();
                if (!(row.length == 1 && row[0].isBlank())) {
                    total++;
                }
            }
        }
        tally.progress.total(Math.max(0, total - 1));
        String query = options.columnMapping() == null ? "" : "?map=" + URLEncoder.encode(options.columnMapping(), StandardCharsets.UTF_8);
        URI endpoint = options.baseUrl().resolve("/v1/assessments:import" + query);
        try (InputStream in = Files.newInputStream(file); MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(in)) {
            if (!rows.hasNextValue()) {
                throw new PublishException("the file is empty: " + file);
            }
            String header = CSV_ROW.writeValueAsString(rows.nextValue());
            tally.rejects.write(header);
            Batch batch = new Batch(header);
            while (true) {
                long number = rows.getParser().currentLocation().getLineNr();
                if (!rows.hasNextValue()) {
                    break;
                }
                String[] row = rows.nextValue();
                if (row.length == 1 && row[0].isBlank()) {
                    continue;
                }
                String text = CSV_ROW.writeValueAsString(row);
                batch.add(number, text, text.substring(0, text.length() - 1));
                if (batch.size() >= options.batchSize() || batch.bytes() >= options.maxBatchBytes()) {
                    send(endpoint, "text/csv; charset=utf-8", batch, tally);
                    batch = new Batch(header);
                }
            }
            if (batch.size() > 0) {
                send(endpoint, "text/csv; charset=utf-8", batch, tally);
            }
        }
    }

    /** Sends one batch until it has an answer, and records each line's outcome. */
    private void send(URI endpoint, String contentType, Batch batch, Tally tally) throws IOException, InterruptedException {
        byte[] body = batch.body.toString().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(options.requestTimeout())
                    .header("Content-Type", contentType)
                    .header("Authorization", "Bearer " + options.apiKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response;
            long waitSeconds;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 202) {
                    tally.record(batch, JSON.readTree(response.body()));
                    return;
                }
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                    throw new PublishException("the server refused a batch starting at line " + batch.fileLines.get(0) + ": HTTP "
                            + response.statusCode() + " " + problemDetail(response.body()));
                }
                waitSeconds = response.headers().firstValueAsLong("Retry-After").orElse(5);
            } catch (PublishException e) {
                throw e;
            } catch (IOException e) {
                // A lost connection or a timeout: the batch may or may not be in; resending is safe.
                waitSeconds = Math.min(30, 1L << Math.min(attempt, 5));
            }
            if (attempt >= options.maxAttempts()) {
                throw new PublishException("the server did not take the batch starting at line " + batch.fileLines.get(0) + " after "
                        + attempt + " attempts; run the same command again to resume");
            }
            Thread.sleep(waitSeconds * 1000);
        }
    }

    private static String problemDetail(byte[] body) {
        try {
            JsonNode problem = JSON.readTree(body);
            return problem.path("title").asText("") + ": " + problem.path("detail").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** One request's lines: the body sent, and for each body line that starts a record, its file line and text. */
    private static final class Batch {
        final StringBuilder body;
        final int headerLines;
        final List<Long> fileLines = new ArrayList<>();
        final List<Integer> bodyLines = new ArrayList<>();
        final List<String> originals = new ArrayList<>();
        int nextBodyLine;

        Batch(String header) {
            body = new StringBuilder(header);
            headerLines = header.isEmpty() ? 0 : 1;
            nextBodyLine = headerLines + 1;
        }

        void add(long fileLine, String text, String original) {
            fileLines.add(fileLine);
            bodyLines.add(nextBodyLine);
            originals.add(original);
            body.append(text);
            nextBodyLine += (int) text.chars().filter(c -> c == '\n').count();
        }

        int size() {
            return fileLines.size();
        }

        long bytes() {
            return body.length();
        }

        /** The record starting at a body line, or -1. */
        int indexOfBodyLine(int line) {
            int index = java.util.Collections.binarySearch(bodyLines, line);
            return index < 0 ? -1 : index;
        }
    }

    /** The run's counts and output files. */
    private static final class Tally {
        final BufferedWriter rejects;
        final BufferedWriter reasons;
        final Progress progress;
        long accepted;
        long duplicate;
        long rejected;
        final List<String> batches = new ArrayList<>();

        Tally(BufferedWriter rejects, BufferedWriter reasons, Progress progress) {
            this.rejects = rejects;
            this.reasons = reasons;
            this.progress = progress;
        }

        void record(Batch batch, JsonNode report) throws IOException {
            accepted += report.path("accepted").asLong();
            duplicate += report.path("duplicate").asLong();
            if (report.hasNonNull("batch")) {
                batches.add(report.get("batch").asText());
            }
            for (JsonNode line : report.path("lines")) {
                if (!"rejected".equals(line.path("status").asText())) {
                    continue;
                }
                rejected++;
                int index = batch.indexOfBodyLine(line.path("line").asInt());
                long fileLine = index < 0 ? -1 : batch.fileLines.get(index);
                if (index >= 0) {
                    rejects.write(batch.originals.get(index));
                    rejects.write('\n');
                }
                ObjectNode reason = JSON.createObjectNode();
                reason.put("line", fileLine);
                if (line.hasNonNull("eventId")) {
                    reason.put("eventId", line.get("eventId").asText());
                }
                reason.put("reason", line.path("reason").asText());
                reason.put("detail", line.path("detail").asText());
                if (line.has("errors")) {
                    reason.set("errors", line.get("errors"));
                }
                reasons.write(JSON.writeValueAsString(reason));
                reasons.write('\n');
            }
            progress.advanced(batch.size());
        }
    }
}
