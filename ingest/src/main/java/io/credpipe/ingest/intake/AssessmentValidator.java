package io.credpipe.ingest.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import com.networknt.schema.path.PathType;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Evidence;
import io.credpipe.model.event.Operator;
import io.credpipe.model.json.Surrogates;
import io.credpipe.model.json.Timestamps;
import io.credpipe.model.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates assessment events against the published JSON Schema (draft 2020-12,
 * {@link #SCHEMA_RESOURCE}) and turns valid ones into {@link AssessmentEvent}s.
 *
 * <p>The schema is the single statement of what a valid event is; HR systems can check their events
 * against the same document ({@code GET /v1/schemas/assessment-event.json}). Java adds only what a
 * schema cannot say: a JSON text must be one object with no duplicate member names (RFC 8259 §4
 * leaves duplicates to the parser, and an event whose {@code result} reads as {@code pass} or
 * {@code fail} depending on the parser must not be accepted), and {@code occurredAt} must be an
 * instant Java can represent (RFC 3339 allows a leap second, {@code 23:59:60}, which is read as the
 * second before it).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AssessmentValidator {

    /** The classpath location of the schema, relative to this class's package. */
    public static final String SCHEMA_RESOURCE = "assessment-event.schema.json";

    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 1e309 as a double is Infinity, which the schema validator cannot compare (it threw
            // NumberFormatException, a 500); as a BigDecimal it is just a number of the wrong type.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final byte[] schemaBytes;
    private final Schema schema;

    /**
     * Loads the bundled schema.
     *
     * @throws IllegalStateException if the schema is missing from the jar (a build defect)
     */
    public AssessmentValidator() {
        try (InputStream in = AssessmentValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("assessment event schema missing from the jar: " + SCHEMA_RESOURCE);
            }
            schemaBytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                // Draft 2020-12 makes "format" an annotation by default; date-time, email and uri must hold.
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .build();
        // The library's e-mail formats check the domain against a list of TLDs (networknt/json-schema-validator#1170);
        // an address is valid by its syntax (EmailAddress), under either format name.
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .format(new MailboxFormat("email"))
                .format(new MailboxFormat("idn-email"))
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder.schemaRegistryConfig(config));
        try {
            schema = registry.getSchema(STRICT_JSON.readTree(schemaBytes));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled assessment event schema is not JSON", e);
        }
        schema.initializeValidators();
    }

    /**
     * The schema document, as served to HR systems.
     *
     * @return a copy of the schema's bytes (UTF-8 JSON)
     */
    public byte[] schema() {
        return schemaBytes.clone();
    }

    /**
     * Validates one event.
     *
     * @param body the JSON text as received
     * @return {@link AssessmentValidation.Valid} with the event, {@link AssessmentValidation.Invalid}
     *     with every field at fault, or {@link AssessmentValidation.Malformed} when the body is not
     *     one JSON object
     */
    public AssessmentValidation validate(byte[] body) {
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            return new AssessmentValidation.Malformed("not well-formed JSON" + position + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return new AssessmentValidation.Malformed("not readable as JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return new AssessmentValidation.Malformed("the body is empty; send one assessment event as a JSON object");
        }
        if (!root.isObject()) {
            return new AssessmentValidation.Malformed("the body is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + "; send one assessment event as a JSON object");
        }
        String unpaired = Surrogates.firstUnpaired(root);
        if (unpaired != null) {
            return new AssessmentValidation.Malformed("the string at " + unpaired
                    + " holds an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF), which I-JSON forbids (RFC 7493 §2.1)");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        try {
            for (Error error : schema.validate(root)) {
                errors.add(new Problem.FieldError(pointer(error), detail(error, root)));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // Found by fuzzing: a number the validator cannot handle is the sender's error, not ours.
            return new AssessmentValidation.Malformed("the body holds a number that cannot be represented");
        }
        Instant occurredAt = null;
        if (errors.stream().noneMatch(e -> e.pointer().equals("/occurredAt"))) {
            occurredAt = instant(root.path("occurredAt").asText());
            if (occurredAt == null) {
                errors.add(new Problem.FieldError("/occurredAt", "is not an instant that can be represented"));
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::pointer));
            return new AssessmentValidation.Invalid(readableEventId(root), operatorPresent(root), errors);
        }
        return new AssessmentValidation.Valid(event(root, occurredAt));
    }

    /** The event of a document the schema accepted. */
    private static AssessmentEvent event(JsonNode root, Instant occurredAt) {
        JsonNode operator = root.get("operator");
        AssessmentEventType type = AssessmentEventType.fromId(root.get("type").asText()).orElseThrow();
        String source = root.get("source").asText();
        Operator who = new Operator(operator.get("id").asText(), text(operator, "name"), text(operator, "email"));
        if (type == AssessmentEventType.RETRACTED) {
            return AssessmentEvent.retracted(root.get("eventId").asText(), occurredAt, source, who,
                    root.get("retracts").asText(), text(root, "reason"));
        }
        JsonNode assessor = root.get("assessor");
        List<Evidence> evidence = new ArrayList<>();
        for (JsonNode item : root.path("evidence")) {
            evidence.add(new Evidence(text(item, "id"), text(item, "name"), text(item, "narrative")));
        }
        return new AssessmentEvent(root.get("eventId").asText(), type, occurredAt, source, who,
                root.get("statementId").asText(),
                AssessmentResult.fromId(root.get("result").asText()).orElseThrow(),
                new Assessor(assessor.get("id").asText(), text(assessor, "name")),
                text(root, "method"), evidence, null, null);
    }

    /**
     * An RFC 3339 date-time the schema accepted, as an instant: RFC 3339 §5.6 allows lower-case
     * {@code t} and {@code z}, and §5.7 a leap second, which {@link DateTimeFormatter#ISO_INSTANT}
     * reads as the last second of the minute.
     */
    static Instant instant(String text) {
        // The common shape by hand; the formatter was a tenth of the request path's profile.
        Instant fast = Timestamps.rfc3339OrNull(text);
        if (fast != null) {
            return fast;
        }
        try {
            return DateTimeFormatter.ISO_INSTANT.parse(text.toUpperCase(Locale.ROOT), Instant::from);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String readableEventId(JsonNode root) {
        JsonNode eventId = root.get("eventId");
        return eventId != null && eventId.isTextual() && !eventId.asText().isEmpty() ? eventId.asText() : null;
    }

    private static boolean operatorPresent(JsonNode root) {
        JsonNode id = root.path("operator").path("id");
        return id.isTextual() && !id.asText().isEmpty();
    }

    /**
     * The JSON Pointer of the field at fault: for {@code required} and
     * {@code additionalProperties} the library reports the enclosing object and names the property
     * separately; the pointer names the property itself.
     */
    private static String pointer(Error error) {
        String location = error.getInstanceLocation().toString();
        if (("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))
                && error.getProperty() != null) {
            return location + "/" + error.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return location;
    }

    /** The error in words an integrator can act on; never quotes the value sent (it may be an e-mail address). */
    private static String detail(Error error, JsonNode root) {
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        String type = root.path("type").asText("");
        switch (keyword) {
            case "required":
                return error.getEvaluationPath().toString().contains("then")
                        ? "is required for " + type + " events"
                        : "is required";
            case "additionalProperties":
                return "is not a field of this object; the schema allows no other fields";
            case "false":
                return "is not allowed on " + type + " events";
            case "enum":
                return "must be one of " + StreamSupport.stream(error.getSchemaNode().spliterator(), false)
                        .map(JsonNode::asText).collect(Collectors.joining(", "));
            case "type": {
                Object[] arguments = error.getArguments();
                return arguments != null && arguments.length == 2
                        ? "must be of type " + arguments[1] + ", found " + arguments[0]
                        : error.getMessage();
            }
            case "pattern":
                return error.getInstanceLocation().toString().equals("/statementId")
                        ? "must be a statement id {frameworkId}/{level}/{n}, e.g. 51-8091.00@v.26.05/emerging/1"
                        : error.getMessage();
            case "format":
                return formatDetail(error.getSchemaNode().asText(), error.getMessage());
            case "minProperties":
                return "must have at least one of its fields";
            default:
                return error.getMessage();
        }
    }

    /** The JSON Schema e-mail formats, held to {@link EmailAddress}'s syntax. */
    private record MailboxFormat(String getName) implements Format {
        @Override
        public boolean matches(ExecutionContext executionContext, String value) {
            return EmailAddress.isMailbox(value);
        }
    }

    private static String formatDetail(String format, String fallback) {
        switch (format) {
            case "date-time":
                return "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-05-20T09:30:00Z";
            case "email":
            case "idn-email":
                return "must be an e-mail address (RFC 5321 mailbox)";
            case "uri":
                return "must be an absolute URI (RFC 3986)";
            default:
                return fallback;
        }
    }
}
