package io.credpipe.ingest.http;

import io.credpipe.ingest.intake.IntakeReport;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The ingest metrics: {@code credpipe.ingest.accepted}, {@code credpipe.ingest.duplicates},
 * {@code credpipe.ingest.rejections} (tag {@code reason}) count events;
 * {@code credpipe.ingest.requests} (tags {@code route}, {@code status}) times requests.
 */
public final class IngestMetrics {

    private final MeterRegistry meters;
    private final Counter accepted;
    private final Counter duplicates;

    /**
     * Registers the counters.
     *
     * @param meters where the metrics go
     */
    public IngestMetrics(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.accepted = Counter.builder("credpipe.ingest.accepted").description("Events acknowledged on assessments").register(meters);
        this.duplicates = Counter.builder("credpipe.ingest.duplicates").description("Events whose id was already in the pipeline").register(meters);
    }

    /**
     * Runs a handler and times it under its route and the status it answered.
     *
     * @param ctx     the request
     * @param route   the route's name, e.g. {@code assessments}
     * @param handler the handler
     */
    public void timed(Context ctx, String route, Runnable handler) {
        long started = System.nanoTime();
        int status = 500;
        try {
            handler.run();
            status = ctx.statusCode();
        } catch (ProblemException e) {
            status = e.problem().status();
            throw e;
        } finally {
            Timer.builder("credpipe.ingest.requests").description("Ingest requests, from arrival to answer")
                    .tag("route", route).tag("status", String.valueOf(status))
                    .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Counts what a request's lines came to. */
    void count(IntakeReport report) {
        accepted.increment(report.accepted());
        duplicates.increment(report.duplicate());
        for (IntakeReport.Line line : report.lines()) {
            if (line.status() == IntakeReport.Status.REJECTED) {
                Counter.builder("credpipe.ingest.rejections").description("Events refused, by reason")
                        .tag("reason", line.reason()).register(meters).increment();
            }
        }
    }
}
