package io.credpipe.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API HR systems post assessment events to.
 *
 * <ul>
 *   <li>{@code POST /v1/assessments} with one event as {@code application/json}: validated against
 *       the published schema, then produced to {@code assessments}; the answer is {@code 202}
 *       with {@code {"eventId": …, "status": "accepted"}} only once the broker has acknowledged
 *       the record. Invalid events are recorded on {@code assessments-rejected} and answered
 *       {@code 400 invalid-event} with a JSON Pointer per field at fault; a body that is not one
 *       JSON object is recorded too and answered {@code 400 malformed-json}; another content
 *       type is answered {@code 415 unsupported-media-type}.
 *   <li>{@code GET /v1/schemas/assessment-event.json}: the JSON Schema events are validated against.
 * </ul>
 *
 * <p>Every answer but {@code 503} means what was sent is durably in Kafka, accepted or rejected.
 * When the broker does not acknowledge within {@link IngestConfig#ackTimeout()}, the answer is
 * {@code 503 kafka-unavailable} with {@code Retry-After}; the producer may still deliver the record
 * afterwards, so a client's retry can write the event twice, which the pipeline absorbs because the
 * same {@code eventId} is the same event (DESIGN.md "Decision rule").
 *
 * <p>Errors are {@link ProblemException}s, rendered by the application as
 * {@code application/problem+json}, except the 503, which carries a {@code Retry-After} header and
 * so is rendered here, in the same RFC 9457 form.
 */
public final class IngestService implements AutoCloseable {

    /** Where HR systems post events. */
    public static final String ASSESSMENTS_PATH = "/v1/assessments";

    /** Where the event schema is served. */
    public static final String SCHEMA_PATH = "/v1/schemas/assessment-event.json";

    /** Seconds a client is asked to wait before retrying after a {@code 503}. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** The JSON Schema media type (JSON Schema draft 2020-12 core, §14). */
    static final String SCHEMA_MEDIA_TYPE = "application/schema+json";

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final Duration ackTimeout;
    private final AssessmentValidator validator;
    private final AssessmentPublisher publisher;
    private final Clock clock;

    /**
     * Creates the service and its Kafka producer; the producer connects lazily, so this succeeds
     * while the cluster is unreachable.
     *
     * @param config where Kafka is and how long to wait for it
     */
    public IngestService(IngestConfig config) {
        this(config, new AssessmentValidator(), new AssessmentPublisher(config.bootstrapServers(), config.ackTimeout()),
                Clock.systemUTC());
    }

    IngestService(IngestConfig config, AssessmentValidator validator, AssessmentPublisher publisher, Clock clock) {
        this.ackTimeout = Objects.requireNonNull(config, "config").ackTimeout();
        this.validator = Objects.requireNonNull(validator, "validator");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds the routes to the application's HTTP server.
     *
     * @param http the server; its {@link ProblemException} handler renders client errors
     */
    public void addRoutes(Javalin http) {
        byte[] schema = validator.schema();
        http.get(SCHEMA_PATH, ctx -> ctx.contentType(SCHEMA_MEDIA_TYPE).result(schema));
        http.post(ASSESSMENTS_PATH, this::postAssessment);
    }

    private void postAssessment(Context ctx) {
        requireJson(ctx.contentType());
        byte[] body = ctx.bodyAsBytes();
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        AssessmentValidation validation = validator.validate(body);
        if (validation instanceof AssessmentValidation.Valid valid) {
            if (acknowledged(ctx, publisher.publish(valid.event()), deadline, valid.event().eventId())) {
                ctx.status(202).contentType("application/json")
                        .result(json(new Accepted(valid.event().eventId(), "accepted")));
            }
        } else if (validation instanceof AssessmentValidation.Invalid invalid) {
            if (acknowledged(ctx, publisher.publishRejection(invalid.rejection(clock.instant(), body)), deadline, invalid.eventId())) {
                int count = invalid.errors().size();
                throw new ProblemException(Problem.of("invalid-event", "Invalid assessment event", 400,
                                count == 1 ? "1 field is invalid" : count + " fields are invalid")
                        .withErrors(invalid.errors()));
            }
        } else if (validation instanceof AssessmentValidation.Malformed malformed) {
            if (acknowledged(ctx, publisher.publishRejection(malformed.rejection(clock.instant(), body)), deadline, null)) {
                throw new ProblemException(Problem.of("malformed-json", "Malformed JSON", 400, malformed.detail()));
            }
        }
    }

    /**
     * Accepts {@code application/json}, with a {@code charset} parameter only if it is UTF-8: JSON
     * exchanged between systems is UTF-8 (RFC 8259 §8.1).
     */
    private static void requireJson(String contentType) {
        if (contentType != null) {
            String[] parts = contentType.split(";");
            boolean json = parts[0].strip().equalsIgnoreCase("application/json");
            boolean utf8 = true;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter[0].strip().equalsIgnoreCase("charset")) {
                    String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                    utf8 = charset.equalsIgnoreCase("utf-8");
                }
            }
            if (json && utf8) {
                return;
            }
        }
        throw new ProblemException(Problem.of("unsupported-media-type", "Unsupported media type", 415,
                "send one assessment event as application/json (UTF-8); the request's Content-Type was "
                        + (contentType == null ? "missing" : contentType)));
    }

    /**
     * Waits until the deadline for the broker's acknowledgement.
     *
     * @return {@code true} once acknowledged; {@code false} after answering 503
     * @throws IllegalStateException if the record can never be written (not a passing outage);
     *     the application answers 500
     */
    private boolean acknowledged(Context ctx, CompletableFuture<?> ack, long deadline, String eventId) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not acknowledge event {} within {}", eventId, ackTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for Kafka to acknowledge event {}", eventId);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RetriableException)) {
                throw new IllegalStateException("Kafka refused event " + eventId, e.getCause());
            }
            LOG.warn("Kafka could not write event {}: {}", eventId, e.getCause().toString());
        }
        Problem problem = Problem.of("kafka-unavailable", "Kafka unavailable", 503,
                "the event was not acknowledged by Kafka within " + ackTimeout.toMillis() + " ms; retry later with the same eventId");
        ctx.status(503)
                .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .contentType("application/problem+json")
                .result(json(problem));
        return false;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records always serialise", e);
        }
    }

    /** Closes the Kafka producer, sending what it still holds for up to five seconds. */
    @Override
    public void close() {
        publisher.close();
    }

    /**
     * The body of a {@code 202}.
     *
     * @param eventId the accepted event's id
     * @param status  always {@code accepted}
     */
    record Accepted(String eventId, String status) {}
}
