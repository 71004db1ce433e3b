package io.credpipe.ingest.intake;

import io.credpipe.model.auth.Caller;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.problem.Problem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Takes in the lines of one request (a single event, an NDJSON batch or CSV rows) line by line:
 * validates each, refuses events of another source, reports event ids already in the pipeline as
 * duplicates, writes the rest to the sink and waits for every acknowledgement.
 *
 * <p>Idempotency holds across concurrent requests: an event id being written by one request is
 * reserved, and another request naming it waits for that write and reports a duplicate once it is
 * acknowledged. An id is recorded as seen only when the broker acknowledged it, so an event whose
 * write failed can be sent again.
 *
 * <p>Thread-safe.
 */
public final class BatchIntake {

    /** The reason of a line whose event names another source than the caller's key. */
    public static final String FORBIDDEN_SOURCE = "forbidden_source";

    private final AssessmentValidator validator;
    private final EventSink sink;
    private final EventIdIndex seen;
    private final Predicate<Throwable> transientFailure;
    private final Clock clock;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    /**
     * Creates the intake.
     *
     * @param validator        what a valid event is
     * @param sink             where accepted events and rejections are written
     * @param seen             the event ids already in the pipeline
     * @param transientFailure which write failures are a passing outage (answered 503) rather than
     *                         a defect (answered 500)
     * @param clock            when rejections happen
     */
    public BatchIntake(AssessmentValidator validator, EventSink sink, EventIdIndex seen, Predicate<Throwable> transientFailure, Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.transientFailure = Objects.requireNonNull(transientFailure, "transientFailure");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One line of input.
     *
     * @param number   its 1-based line number
     * @param json     the event as JSON
     * @param original what was received, recorded on {@code assessments-rejected} if it is rejected
     */
    public record Line(int number, byte[] json, byte[] original) {}

    /**
     * Takes in lines for a caller.
     *
     * @param caller   who sent them; events must name the caller's source
     * @param lines    the lines
     * @param deadline {@link System#nanoTime()} by which every write must be acknowledged
     * @return one outcome per line
     * @throws Unavailable if a write was not acknowledged by the deadline; what was acknowledged
     *     stays in, and is reported duplicate when resent
     * @throws IllegalStateException if a write failed for a reason that retrying cannot fix
     */
    public IntakeReport take(Caller caller, List<Line> lines, long deadline) throws Unavailable {
        List<Pending> pending = new ArrayList<>(lines.size());
        Set<String> inThisRequest = new HashSet<>();
        for (Line line : lines) {
            pending.add(start(caller, line, inThisRequest));
        }
        List<IntakeReport.Line> outcomes = new ArrayList<>(lines.size());
        Unavailable unavailable = null;
        for (Pending p : pending) {
            if (p.write == null) {
                outcomes.add(p.outcome);
                continue;
            }
            try {
                Object result = p.write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (Boolean.FALSE.equals(result)) {
                    // Another request's write of this id failed: nothing of it is in the pipeline.
                    unavailable = unavailable == null ? new Unavailable("an earlier write of event " + p.outcome.eventId() + " failed") : unavailable;
                }
                outcomes.add(p.outcome);
            } catch (TimeoutException e) {
                unavailable = unavailable == null ? new Unavailable("not acknowledged in time") : unavailable;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for acknowledgements");
            } catch (ExecutionException e) {
                if (!transientFailure.test(e.getCause())) {
                    throw new IllegalStateException("a record of line " + p.outcome.line() + " cannot be written", e.getCause());
                }
                unavailable = unavailable == null ? new Unavailable(e.getCause().toString()) : unavailable;
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
        return IntakeReport.of(outcomes);
    }

    private Pending start(Caller caller, Line line, Set<String> inThisRequest) {
        AssessmentValidation validation = validator.validate(line.json());
        if (validation instanceof AssessmentValidation.Valid valid) {
            AssessmentEvent event = valid.event();
            String eventId = event.eventId();
            if (!caller.source().equals(event.source())) {
                // Not recorded on assessments-rejected: the caller may not speak for that source at all.
                return done(new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.REJECTED, FORBIDDEN_SOURCE,
                        "the key belongs to source " + caller.source() + "; it cannot write events of another source",
                        List.of(new Problem.FieldError("/source", "must be " + caller.source()))));
            }
            IntakeReport.Line duplicate = new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.DUPLICATE, null, null, null);
            if (!inThisRequest.add(eventId) || seen.contains(eventId)) {
                return done(duplicate);
            }
            CompletableFuture<Boolean> reservation = new CompletableFuture<>();
            CompletableFuture<Boolean> other = inFlight.putIfAbsent(eventId, reservation);
            if (other != null) {
                return new Pending(duplicate, other);
            }
            // An id is added to the index before its reservation is released: checking the index
            // again here closes the gap between the first check and the reservation.
            if (seen.contains(eventId)) {
                inFlight.remove(eventId, reservation);
                reservation.complete(true);
                return done(duplicate);
            }
            CompletableFuture<?> write;
            try {
                write = sink.publish(event);
            } catch (RuntimeException e) {
                inFlight.remove(eventId, reservation);
                reservation.complete(false);
                throw e;
            }
            write.whenComplete((ack, error) -> {
                if (error == null) {
                    seen.add(eventId);
                }
                inFlight.remove(eventId, reservation);
                reservation.complete(error == null);
            });
            return new Pending(new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.ACCEPTED, null, null, null), write);
        }
        Rejection rejection;
        List<Problem.FieldError> errors;
        if (validation instanceof AssessmentValidation.Invalid invalid) {
            rejection = invalid.rejection(clock.instant(), line.original());
            errors = invalid.errors();
        } else {
            rejection = ((AssessmentValidation.Malformed) validation).rejection(clock.instant(), line.original());
            errors = List.of();
        }
        return new Pending(new IntakeReport.Line(line.number(), rejection.eventId(), IntakeReport.Status.REJECTED,
                rejection.reason().id(), rejection.detail(), errors), sink.publishRejection(rejection));
    }

    private static Pending done(IntakeReport.Line outcome) {
        return new Pending(outcome, null);
    }

    private record Pending(IntakeReport.Line outcome, CompletableFuture<?> write) {}

    /** Kafka did not acknowledge every write in time: the request is answered 503. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
