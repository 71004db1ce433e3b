package io.credpipe.app.command;

import io.credpipe.ingest.client.BatchReceipts;
import io.credpipe.ingest.client.BulkPublisher;
import io.credpipe.ingest.client.ProgressBarProgress;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code credpipe publish FILE.csv|FILE.ndjson --url URL --key-file F}: a bulk load through the ingest
 * API with a progress bar; running it again after an interruption resumes it (events already in are
 * reported duplicate).
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Send a CSV or NDJSON file of assessment events to an ingest server in batches, with a progress bar.",
                "With --wait, return only once the pipeline has processed every accepted event.",
                "Safe to run again after an interruption: events already in are counted as duplicates.",
                "Rejected lines are written to <FILE>.rejected.<ext>, and why to <FILE>.rejected.<ext>.reasons.ndjson."})
public class PublishCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A .csv file with a header row, or a .ndjson/.jsonl file with one event per line.")
    Path file;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The ingest server (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--key-file", paramLabel = "F", required = true,
            description = "A file holding the source's API key (e.g. written by credpipe sources create NAME --key-file F).")
    Path keyFile;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000",
            description = "Lines per request (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--map", paramLabel = "COLUMN:HEADER[,…]",
            description = "For CSV: read a documented column from a differently named header, e.g. operatorId:EmployeeNo.")
    String mapping;

    @Option(names = "--rejected", paramLabel = "FILE", description = "Where rejected lines go (default: <FILE>.rejected.<ext>).")
    Path rejected;

    @Option(names = "--wait", description = {"After sending, wait until the evaluator and the issuer have processed every accepted event.",
            "Progress and credentials are then visible; each batch's receipt is read, no operator is polled."})
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "How long --wait waits at most (default: ${DEFAULT-VALUE}).")
    long waitTimeoutSeconds;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
        String name = file.getFileName().toString();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "txt";
        Path rejectedFile = rejected != null ? rejected : file.resolveSibling(name + ".rejected." + extension);
        BulkPublisher.Options defaults = BulkPublisher.Options.defaults(url, key);
        BulkPublisher publisher = new BulkPublisher(new BulkPublisher.Options(url, key, batchSize, defaults.maxBatchBytes(),
                Duration.ofMinutes(2), defaults.maxAttempts(), mapping));
        BulkPublisher.Summary summary;
        try (ProgressBarProgress progress = new ProgressBarProgress(System.err, name)) {
            summary = publisher.publish(file, rejectedFile, progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%,d accepted, %,d duplicate, %,d rejected%n", summary.accepted(), summary.duplicate(), summary.rejected());
        if (summary.rejected() > 0) {
            out.printf("Rejected lines: %s%nReasons: %s%n", summary.rejectedFile(), summary.reasonsFile());
        }
        out.flush();
        if (await) {
            BatchReceipts.Totals totals;
            try (ProgressBarProgress progress = new ProgressBarProgress(System.err, "processed")) {
                totals = new BatchReceipts(url, key).awaitFinished(summary.batches(), Duration.ofSeconds(waitTimeoutSeconds),
                        progress::processed);
            }
            out.printf("Processed: %,d accepted events of %,d batches, by the evaluator and the issuer.%n", totals.processed(),
                    totals.batches());
            out.flush();
        }
        return summary.rejected() > 0 ? 1 : 0;
    }
}
