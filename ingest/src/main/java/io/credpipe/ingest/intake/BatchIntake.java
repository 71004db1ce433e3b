package io.credpipe.ingest.intake;

import io.credpipe.model.auth.Caller;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Takes in the lines of one request (a single event, an NDJSON batch or CSV rows) line by line:
 * validates each, refuses events of another source, reports an event already in the pipeline as a
 * duplicate, refuses a different event under a used id as a conflict, refuses what names a
 * statement no loaded framework has or retracts an event its source never sent for that operator
 * (each recorded on {@code assessments-rejected} with its reason, as the evaluator would have done
 * after the answer), writes the rest to the sink and waits for every acknowledgement.
 *
 * <p>Idempotency is per {@link EventKey} (source and event id, DESIGN.md "Events"): only an exact
 * re-send is a duplicate; the same key with other content is rejected with reason
 * {@code conflicting_duplicate}, naming the fields that differ, and recorded on
 * {@code assessments-rejected}. It holds across concurrent requests: a key being written by one
 * request is reserved, and another request naming it waits for that write. A key is recorded as
 * seen only when the broker acknowledged it, so an event whose write failed can be sent again.
 *
 * <p>Thread-safe.
 */
public final class BatchIntake {

    /** The reason of a line whose event names another source than the caller's key. */
    public static final String FORBIDDEN_SOURCE = "forbidden_source";

    private final AssessmentValidator validator;
    private final EventSink sink;
    private final EventIdIndex seen;
    private final KnownReferences references;
    private final Predicate<Throwable> transientFailure;
    private final Clock clock;
    private final Map<EventKey, Reservation> inFlight = new ConcurrentHashMap<>();

    /**
     * Creates the intake.
     *
     * @param validator        what a valid event is
     * @param sink             where accepted events and rejections are written
     * @param seen             the event ids already in the pipeline
     * @param references       the frameworks loaded, for statements, and a way to catch up on both
     * @param transientFailure which write failures are a passing outage (answered 503) rather than
     *                         a defect (answered 500)
     * @param clock            when rejections happen
     */
    public BatchIntake(AssessmentValidator validator, EventSink sink, EventIdIndex seen, KnownReferences references,
            Predicate<Throwable> transientFailure, Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.references = Objects.requireNonNull(references, "references");
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
        Map<EventKey, EventFingerprint> inThisRequest = new HashMap<>();
        Lookup lookup = new Lookup(inThisRequest);
        try {
            for (Line line : lines) {
                pending.add(start(caller, line, lookup));
            }
        } catch (Stale e) {
            // What was written stays in and is reported duplicate when resent, as for any 503.
            throw new Unavailable("the frameworks or event ids could not be read up to date to check a reference");
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
                outcomes.add(result instanceof LogPosition position && p.outcome.status() == IntakeReport.Status.ACCEPTED
                        ? p.outcome.at(position) : p.outcome);
            } catch (TimeoutException e) {
                unavailable = unavailable == null ? new Unavailable("not acknowledged in time") : unavailable;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for acknowledgements");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLarge tooLarge) {
                    outcomes.add(refuseTooLarge(p, tooLarge, deadline));
                    continue;
                }
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

    private Pending start(Caller caller, Line line, Lookup lookup) {
        Map<EventKey, EventFingerprint> inThisRequest = lookup.inThisRequest;
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
            EventKey key = EventKey.of(event);
            EventFingerprint fingerprint = EventFingerprint.of(event);
            IntakeReport.Line duplicate = new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.DUPLICATE, null, null, null);
            EventFingerprint earlier = inThisRequest.get(key);
            if (earlier == null) {
                earlier = seen.find(key).orElse(null);
            }
            if (earlier != null) {
                return earlier.sameContent(fingerprint) ? done(duplicate) : conflict(line, event, earlier.differingFields(fingerprint), null);
            }
            Optional<Rejection> unresolved = lookup.unresolved(event, fingerprint, line);
            if (unresolved.isPresent()) {
                Rejection rejection = unresolved.get();
                return new Pending(new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.REJECTED, rejection.reason().id(),
                        rejection.detail(), List.of(new Problem.FieldError(rejection.pointer(), rejection.detail()))),
                        sink.publishRejection(rejection));
            }
            inThisRequest.put(key, fingerprint);
            Reservation reservation = new Reservation(fingerprint, new CompletableFuture<>());
            Reservation other = inFlight.putIfAbsent(key, reservation);
            if (other != null) {
                return other.fingerprint().sameContent(fingerprint)
                        ? new Pending(duplicate, other.written())
                        : conflict(line, event, other.fingerprint().differingFields(fingerprint), other.written());
            }
            // A key is added to the index before its reservation is released: checking the index
            // again here closes the gap between the first check and the reservation.
            Optional<EventFingerprint> acknowledged = seen.find(key);
            if (acknowledged.isPresent()) {
                inFlight.remove(key, reservation);
                reservation.written().complete(true);
                return acknowledged.get().sameContent(fingerprint)
                        ? done(duplicate) : conflict(line, event, acknowledged.get().differingFields(fingerprint), null);
            }
            CompletableFuture<LogPosition> write;
            try {
                write = sink.publish(event);
            } catch (RuntimeException e) {
                inFlight.remove(key, reservation);
                reservation.written().complete(false);
                throw e;
            }
            write.whenComplete((at, error) -> {
                if (error == null) {
                    seen.add(key, fingerprint, at);
                }
                inFlight.remove(key, reservation);
                reservation.written().complete(error == null);
            });
            return new Pending(new IntakeReport.Line(line.number(), eventId, IntakeReport.Status.ACCEPTED, null, null, null), write, line);
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
                rejection.reason().id(), rejection.detail(), errors), sink.publishRejection(rejection), line);
    }

    /**
     * Refuses a line whose record Kafka cannot take, recording on {@code assessments-rejected} its
     * start, size and digest ({@link RejectedOriginal}) with reason {@code record_too_large}, and
     * waits for that record: nothing sent goes unrecorded, and the request is not failed for it.
     */
    private IntakeReport.Line refuseTooLarge(Pending p, RecordTooLarge tooLarge, long deadline) throws Unavailable {
        String detail = tooLarge.getMessage() + "; make the event smaller (long texts belong in evidence URLs)";
        byte[] original = p.line() == null ? new byte[0] : p.line().original();
        Rejection rejection = new Rejection(p.outcome().eventId(), RejectionReason.RECORD_TOO_LARGE, detail, null,
                AssessmentValidation.STAGE, clock.instant(), RejectedOriginal.text(original));
        try {
            sink.publishRejection(rejection).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new Unavailable("the rejection of line " + p.outcome().line() + " was not acknowledged in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for acknowledgements");
        } catch (ExecutionException e) {
            if (transientFailure.test(e.getCause())) {
                throw new Unavailable(e.getCause().toString());
            }
            throw new IllegalStateException("the rejection of line " + p.outcome().line() + " cannot be written", e.getCause());
        }
        return new IntakeReport.Line(p.outcome().line(), p.outcome().eventId(), IntakeReport.Status.REJECTED,
                RejectionReason.RECORD_TOO_LARGE.id(), detail, List.of());
    }

    /**
     * Refuses an event whose key was accepted with other content, recording it on
     * {@code assessments-rejected}; when that earlier write is still in flight, the answer also
     * waits for it (if it fails, nothing of the key is in and the request is answered 503).
     */
    private Pending conflict(Line line, AssessmentEvent event, List<String> fields, CompletableFuture<Boolean> earlierWrite) {
        String detail = "event " + event.eventId() + " of source " + event.source()
                + " was already accepted with other content; an event id names one event: send a correction under a new id, "
                + "retracting the first if it was wrong";
        List<Problem.FieldError> errors = fields.isEmpty()
                ? List.of(new Problem.FieldError("", "differs from the event accepted under this id"))
                : fields.stream().map(f -> new Problem.FieldError(f, "differs from the event accepted under this id")).toList();
        Rejection rejection = new Rejection(event.eventId(), RejectionReason.CONFLICTING_DUPLICATE,
                detail + " (" + String.join(", ", errors.stream().map(e -> e.pointer().isEmpty() ? "(document)" : e.pointer()).toList()) + ")",
                fields.size() == 1 ? fields.get(0) : null, AssessmentValidation.STAGE, clock.instant(),
                RejectedOriginal.text(line.original()));
        CompletableFuture<?> recorded = sink.publishRejection(rejection);
        CompletableFuture<?> write = earlierWrite == null ? recorded : recorded.thenCombine(earlierWrite, (r, written) -> written);
        return new Pending(new IntakeReport.Line(line.number(), event.eventId(), IntakeReport.Status.REJECTED,
                RejectionReason.CONFLICTING_DUPLICATE.id(), detail, errors), write);
    }

    /**
     * Resolves what an event refers to, as far as ingest can know it: a recorded event's statement
     * in a loaded framework, a retraction's target among its own source's events about the same
     * operator (in this request, being written by another, or acknowledged). A miss is refused only
     * after catching up with the topics once per request, so an event another instance just took, or
     * a framework just published, is not refused for being unread.
     */
    private final class Lookup {

        private final Map<EventKey, EventFingerprint> inThisRequest;
        private boolean caughtUp;

        Lookup(Map<EventKey, EventFingerprint> inThisRequest) {
            this.inThisRequest = inThisRequest;
        }

        Optional<Rejection> unresolved(AssessmentEvent event, EventFingerprint fingerprint, Line line) {
            return event.type() == AssessmentEventType.RETRACTED ? target(event, fingerprint, line) : statement(event, line);
        }

        private Optional<Rejection> statement(AssessmentEvent event, Line line) {
            Optional<StatementId> statement = event.statement();
            if (statement.isEmpty()) {
                return Optional.empty(); // the validator's pattern refuses malformed ids; nothing to resolve
            }
            FrameworkId frameworkId = statement.get().framework();
            Optional<Framework> framework = references.framework(frameworkId);
            if (framework.isEmpty() && catchUp()) {
                framework = references.framework(frameworkId);
            }
            if (framework.isEmpty()) {
                return Optional.of(refusal(event, line, RejectionReason.UNKNOWN_FRAMEWORK, "/statementId",
                        "framework " + frameworkId + " is not loaded; publish it (POST /v1/frameworks) before its assessments"));
            }
            if (framework.get().statement(statement.get()).isEmpty()) {
                return Optional.of(refusal(event, line, RejectionReason.UNKNOWN_STATEMENT, "/statementId",
                        "framework " + frameworkId + " has no statement " + statement.get() + " (level " + statement.get().level().id()
                                + " has " + framework.get().statements(statement.get().level()).size() + " statements)"));
            }
            return Optional.empty();
        }

        private Optional<Rejection> target(AssessmentEvent event, EventFingerprint retraction, Line line) {
            EventKey targetKey = new EventKey(event.source(), event.retracts());
            Optional<EventFingerprint> target = find(targetKey);
            if (target.isEmpty() && catchUp()) {
                target = find(targetKey);
            }
            String missing = "source " + event.source() + " sent no assessment " + event.retracts() + " of operator " + event.operatorId()
                    + "; a source retracts only its own events, about the same operator";
            if (target.isEmpty() || !target.get().retractableBy(retraction)) {
                return Optional.of(refusal(event, line, RejectionReason.UNKNOWN_RETRACTION_TARGET, "/retracts",
                        target.isPresent() && target.get().retraction()
                                ? "event " + event.retracts() + " of source " + event.source() + " is itself a retraction; only assessments can be retracted"
                                : missing));
            }
            return Optional.empty();
        }

        private Optional<EventFingerprint> find(EventKey key) {
            EventFingerprint fingerprint = inThisRequest.get(key);
            if (fingerprint != null) {
                return Optional.of(fingerprint);
            }
            Reservation writing = inFlight.get(key);
            return writing != null ? Optional.of(writing.fingerprint()) : seen.find(key);
        }

        /**
         * Catches up once per request; returns whether a lookup is worth repeating.
         *
         * @throws Stale when the topics could not be read up to date: a miss then proves nothing
         */
        private boolean catchUp() {
            if (caughtUp) {
                return false;
            }
            caughtUp = true;
            if (!references.catchUp()) {
                throw new Stale();
            }
            return true;
        }

        private Rejection refusal(AssessmentEvent event, Line line, RejectionReason reason, String pointer, String detail) {
            return new Rejection(event.eventId(), reason, detail, pointer, AssessmentValidation.STAGE, clock.instant(),
                    new String(line.original(), StandardCharsets.UTF_8));
        }
    }

    /** A key being written by a request: its content, and whether the write was acknowledged. */
    private record Reservation(EventFingerprint fingerprint, CompletableFuture<Boolean> written) {}

    private static Pending done(IntakeReport.Line outcome) {
        return new Pending(outcome, null);
    }

    private record Pending(IntakeReport.Line outcome, CompletableFuture<?> write, Line line) {

        Pending(IntakeReport.Line outcome, CompletableFuture<?> write) {
            this(outcome, write, null);
        }
    }

    /** The references could not be read up to date: the request is answered 503 rather than refused. */
    private static final class Stale extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stale() {
            super(null, null, false, false);
        }
    }

    /** Kafka did not acknowledge every write in time: the request is answered 503. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
