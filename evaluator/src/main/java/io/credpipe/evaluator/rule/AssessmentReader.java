package io.credpipe.evaluator.rule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Evidence;
import io.credpipe.model.event.OccurredAt;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.framework.StatementId;
import io.credpipe.model.json.Surrogates;
import io.credpipe.model.json.Utf8;
import io.credpipe.model.json.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads an {@code assessments} record exactly as it arrived (key and raw value) into an
 * {@link AssessmentEvent}, or says precisely what is wrong with it: which reason, which field (as a
 * JSON Pointer) and why. Fields the contract does not know are tolerated, as everywhere in credpipe,
 * so that newer senders do not break older evaluators.
 *
 * <p>Over 400 lines because the field walk and the stored canonical hash must agree field by field, so they are kept in one place.
 */
public final class AssessmentReader {

    /** Event ids are state-store keys and Kafka keys: long enough for any HR system's id, bounded. */
    static final int MAX_EVENT_ID_LENGTH = 256;

    /**
     * RFC 3339 section 5.6 {@code date-time}: seconds and an offset are mandatory (ISO 8601 as parsed
     * by {@code java.time} would also accept a missing second or offset). Section 5.6 allows a
     * lower-case {@code t} and {@code z}.
     */
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private static final MessageDigest SHA_256 = sha256();
    private static final HexFormat HEX = HexFormat.of();

    private static final String RECORDED_ONLY = "only assessment.recorded events carry this field";
    private static final String RETRACTED_ONLY = "only assessment.retracted events carry this field";

    /** Trailing content and repeated properties make a record ambiguous, so they make it malformed. */
    private final ObjectMapper reader = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Serialises events canonically: same content, same bytes, whatever the sender's formatting. */
    private final ObjectMapper canonical = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // Absent and null fields hash alike, so a field added to the model later keeps old hashes stable.
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .build();

    /** What reading one record gave: an event, or why there is none. */
    public sealed interface Result permits Read, Refusal {}

    /**
     * A well-formed event.
     *
     * @param event the event
     * @param contentHash its canonical content hash
     */
    public record Read(AssessmentEvent event, String contentHash) implements Result {

        public Read {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(contentHash, "contentHash");
        }
    }

    /**
     * Reads one record.
     *
     * @param key the record key, which must be the operator id
     * @param value the record value as received
     */
    public Result read(String key, byte[] value) {
        if (value == null || value.length == 0) {
            return new Refusal(null, RejectionReason.MALFORMED_JSON, "the record has no value", null);
        }
        int malformedAt = Utf8.malformedAt(value);
        if (malformedAt >= 0) {
            // A lenient decoder reads the overlong C0 AF as "/": two different records would become one event id.
            return new Refusal(null, RejectionReason.MALFORMED_JSON,
                    "not well-formed UTF-8 (RFC 3629): invalid byte sequence at byte offset " + malformedAt, null);
        }
        JsonNode root;
        try {
            root = reader.readTree(value);
        } catch (JsonProcessingException e) {
            return new Refusal(null, RejectionReason.MALFORMED_JSON, "not well-formed JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return new Refusal(null, RejectionReason.MALFORMED_JSON, "not readable as JSON: " + e.getMessage(), null);
        }
        if (root == null || !root.isObject()) {
            return new Refusal(null, RejectionReason.MALFORMED_JSON, "an assessment event must be a JSON object", null);
        }
        String unpaired = Surrogates.firstUnpaired(root);
        if (unpaired != null) {
            return new Refusal(null, RejectionReason.MALFORMED_JSON, "the string at " + unpaired
                    + " holds an unpaired UTF-16 surrogate escape, which I-JSON forbids (RFC 7493 §2.1)", unpaired);
        }
        try {
            AssessmentEvent event = new Fields(root, key).event();
            return new Read(event, contentHash(event));
        } catch (FieldException e) {
            return e.refusal;
        }
    }

    /**
     * The canonical content hash of an event: SHA-256 over its re-serialisation with sorted
     * properties, so that formatting, property order and equivalent timestamp spellings
     * ({@code 09:30:00Z}, {@code 09:30:00.000Z}) do not make the same event look different.
     */
    public String contentHash(AssessmentEvent event) {
        try {
            byte[] bytes = plainCanonical(event);
            // A clone of an idle prototype: getInstance looks the provider up on every call, and a shared
            // instance would make the reader unsafe to share between threads.
            MessageDigest sha256 = (MessageDigest) SHA_256.clone();
            return HEX.formatHex(sha256.digest(bytes != null ? bytes : jacksonCanonical(event)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    /** The canonical serialisation of {@code event}, by Jackson. */
    byte[] jacksonCanonical(AssessmentEvent event) {
        try {
            return canonical.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an assessment event always serialises", e);
        }
    }

    /**
     * The bytes {@link #jacksonCanonical} gives for {@code event}, written by hand when every string in it is
     * plain (no quote, backslash, control character or surrogate: Jackson copies such strings
     * verbatim), else {@code null}. Hashes are stored, so the bytes must stay exactly Jackson's:
     * properties sorted by name, nulls and empty evidence left out, instants in ISO-8601
     * ({@link Instant#toString}), enums by their wire ids. Written straight to UTF-8 bytes, each
     * string checked as it is copied: building a {@code String} first and encoding it showed in the profile.
     */
    static byte[] plainCanonical(AssessmentEvent event) {
        CanonicalJsonBytes json = new CanonicalJsonBytes();
        json.open('{');
        if (event.assessor() != null) {
            json.name("assessor").open('{');
            if (!json.member("id", event.assessor().id()) || !json.member("name", event.assessor().name())) {
                return null;
            }
            json.close('}');
        }
        if (!json.member("eventId", event.eventId())) {
            return null;
        }
        if (!event.evidence().isEmpty()) {
            json.name("evidence").open('[');
            for (Evidence evidence : event.evidence()) {
                json.element().open('{');
                if (!json.member("id", evidence.id()) || !json.member("name", evidence.name())
                        || !json.member("narrative", evidence.narrative())) {
                    return null;
                }
                json.close('}');
            }
            json.close(']');
        }
        if (!json.member("method", event.method())
                || !json.member("occurredAt", event.occurredAt() == null ? null : event.occurredAt().toString())) {
            return null;
        }
        if (event.operator() != null) {
            json.name("operator").open('{');
            if (!json.member("email", event.operator().email()) || !json.member("id", event.operator().id())
                    || !json.member("name", event.operator().name())) {
                return null;
            }
            json.close('}');
        }
        if (!json.member("reason", event.reason())
                || !json.member("result", event.result() == null ? null : event.result().id())
                || !json.member("retracts", event.retracts())
                || !json.member("source", event.source())
                || !json.member("statementId", event.statementId())
                || !json.member("type", event.type() == null ? null : event.type().id())) {
            return null;
        }
        return json.close('}').toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A field that is wrong; unwinds to {@link #read}. */
    private static final class FieldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        FieldException(Refusal refusal) {
            super(refusal.detail(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** Walks one event object, remembering its id (once read) for every refusal. */
    private static final class Fields {
        private final JsonNode root;
        private final String key;
        private String eventId;

        Fields(JsonNode root, String key) {
            this.root = root;
            this.key = key;
        }

        AssessmentEvent event() throws FieldException {
            JsonNode idNode = root.get("eventId");
            if (idNode != null && idNode.isTextual() && !idNode.asText().isBlank()
                    && idNode.asText().length() <= MAX_EVENT_ID_LENGTH) {
                eventId = idNode.asText();
            }
            String id = requiredText(root, "/eventId");
            if (id.length() > MAX_EVENT_ID_LENGTH) {
                throw invalid("/eventId", "must be at most " + MAX_EVENT_ID_LENGTH + " characters");
            }
            String typeText = requiredText(root, "/type");
            AssessmentEventType type = AssessmentEventType.fromId(typeText).orElseThrow(() ->
                    invalid("/type", "must be assessment.recorded or assessment.retracted"));
            Instant occurredAt = timestamp("/occurredAt");
            String source = requiredText(root, "/source");
            Operator operator = operator();
            return switch (type) {
                case RECORDED -> recorded(occurredAt, source, operator);
                case RETRACTED -> retracted(occurredAt, source, operator);
            };
        }

        private AssessmentEvent recorded(Instant occurredAt, String source, Operator operator) throws FieldException {
            String statementId = requiredText(root, "/statementId");
            if (StatementId.parse(statementId).isEmpty()) {
                throw invalid("/statementId", "must be {soc}@{version}/{level}/{n}, e.g. 51-8091.00@v.26.05/emerging/1");
            }
            String resultText = requiredText(root, "/result");
            AssessmentResult result = AssessmentResult.fromId(resultText).orElseThrow(() ->
                    invalid("/result", "must be pass or fail"));
            JsonNode assessorNode = root.get("assessor");
            if (isAbsent(assessorNode)) {
                throw invalid("/assessor", "is required for assessment.recorded");
            }
            if (!assessorNode.isObject()) {
                throw invalid("/assessor", "must be an object with an id");
            }
            Assessor assessor = new Assessor(requiredText(assessorNode, "/assessor/id"),
                    optionalText(assessorNode, "/assessor/name"));
            String method = optionalText(root, "/method");
            List<Evidence> evidence = evidence();
            forbidden("/retracts", RETRACTED_ONLY);
            forbidden("/reason", RETRACTED_ONLY);
            return new AssessmentEvent(eventId, AssessmentEventType.RECORDED, occurredAt, source, operator,
                    statementId, result, assessor, method, evidence, null, null);
        }

        private AssessmentEvent retracted(Instant occurredAt, String source, Operator operator) throws FieldException {
            String retracts = requiredText(root, "/retracts");
            String reason = optionalText(root, "/reason");
            for (String field : List.of("/statementId", "/result", "/assessor", "/method", "/evidence")) {
                forbidden(field, RECORDED_ONLY);
            }
            return new AssessmentEvent(eventId, AssessmentEventType.RETRACTED, occurredAt, source, operator,
                    null, null, null, null, List.of(), retracts, reason);
        }

        private Operator operator() throws FieldException {
            JsonNode node = root.get("operator");
            if (isAbsent(node)) {
                throw refuse(RejectionReason.MISSING_OPERATOR, "/operator", "the event names no operator");
            }
            if (!node.isObject()) {
                throw refuse(RejectionReason.MISSING_OPERATOR, "/operator", "must be an object with the operator's id");
            }
            JsonNode idNode = node.get("id");
            if (isAbsent(idNode) || !idNode.isTextual() || idNode.asText().isBlank()) {
                throw refuse(RejectionReason.MISSING_OPERATOR, "/operator/id", "the operator has no id");
            }
            String operatorId = idNode.asText();
            String name = optionalText(node, "/operator/name");
            String email = optionalText(node, "/operator/email");
            if (!operatorId.equals(key)) {
                throw refuse(RejectionReason.MISSING_OPERATOR, "/operator/id", key == null
                        ? "the record has no key; it must be the operator id \"" + operatorId + "\""
                        : "the record key \"" + key + "\" is not the operator id \"" + operatorId + "\"");
            }
            return new Operator(operatorId, name, email);
        }

        private List<Evidence> evidence() throws FieldException {
            JsonNode node = root.get("evidence");
            if (isAbsent(node)) {
                return List.of();
            }
            if (!node.isArray()) {
                throw invalid("/evidence", "must be an array of evidence objects");
            }
            List<Evidence> evidence = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String pointer = "/evidence/" + i;
                if (!item.isObject()) {
                    throw invalid(pointer, "must be an object with id, name or narrative");
                }
                evidence.add(new Evidence(optionalText(item, pointer + "/id"), optionalText(item, pointer + "/name"),
                        optionalText(item, pointer + "/narrative")));
            }
            return evidence;
        }

        private Instant timestamp(String pointer) throws FieldException {
            Instant instant = anyTimestamp(pointer);
            if (!OccurredAt.inRange(instant)) {
                throw invalid(pointer, "must lie between " + OccurredAt.EARLIEST + " and " + OccurredAt.LATEST);
            }
            return instant;
        }

        private Instant anyTimestamp(String pointer) throws FieldException {
            String text = requiredText(root, pointer);
            Instant fast = Timestamps.rfc3339OrNull(text);
            if (fast != null) {
                return fast;
            }
            if (!RFC_3339.matcher(text).matches()) {
                throw invalid(pointer, "must be an RFC 3339 date-time with seconds and offset, e.g. 2026-05-20T09:30:00Z");
            }
            try {
                return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException e) {
                throw invalid(pointer, "is not a valid date-time: " + e.getMessage());
            }
        }

        /** A field of the other event type; an empty array counts as absent, as the model's serde writes one. */
        private void forbidden(String pointer, String why) throws FieldException {
            JsonNode node = root.get(pointer.substring(1));
            if (!isAbsent(node) && !(node.isArray() && node.isEmpty())) {
                throw invalid(pointer, why);
            }
        }

        /** A required string field of {@code parent}; the pointer's last segment names the field. */
        private String requiredText(JsonNode parent, String pointer) throws FieldException {
            JsonNode node = parent.get(fieldName(pointer));
            if (isAbsent(node)) {
                throw invalid(pointer, "is required");
            }
            if (!node.isTextual()) {
                throw invalid(pointer, "must be a string");
            }
            if (node.asText().isBlank()) {
                throw invalid(pointer, "must not be blank");
            }
            return node.asText();
        }

        private String optionalText(JsonNode parent, String pointer) throws FieldException {
            JsonNode node = parent.get(fieldName(pointer));
            if (isAbsent(node)) {
                return null;
            }
            if (!node.isTextual()) {
                throw invalid(pointer, "must be a string");
            }
            return node.asText();
        }

        private static String fieldName(String pointer) {
            return pointer.substring(pointer.lastIndexOf('/') + 1);
        }

        private static boolean isAbsent(JsonNode node) {
            return node == null || node.isNull() || node.isMissingNode();
        }

        private FieldException invalid(String pointer, String detail) {
            return refuse(RejectionReason.INVALID_FIELD, pointer, detail);
        }

        private FieldException refuse(RejectionReason reason, String pointer, String detail) {
            return new FieldException(new Refusal(eventId, reason, pointer + " " + detail, pointer));
        }
    }

}
