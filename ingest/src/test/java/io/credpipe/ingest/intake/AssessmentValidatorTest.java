package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Evidence;
import io.credpipe.model.event.Operator;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class AssessmentValidatorTest {

    /** The example event of DESIGN.md "Events", verbatim. */
    public static final String DESIGN_EXAMPLE = "{\"eventId\":\"hr1-000042\",\"type\":\"assessment.recorded\",\"occurredAt\":\"2026-05-20T09:30:00Z\","
            + "\"source\":\"hr1\",\"operator\":{\"id\":\"acme:E1234\",\"name\":\"Dana Ruiz\",\"email\":\"dana@example.com\"},"
            + "\"statementId\":\"51-8091.00@v.26.05/emerging/1\",\"result\":\"pass\",\"assessor\":{\"id\":\"acme:S77\"},"
            + "\"method\":\"observation\"}";

    public static final String RETRACTION = "{\"eventId\":\"hr1-000043\",\"type\":\"assessment.retracted\",\"occurredAt\":\"2026-05-21T08:00:00Z\","
            + "\"source\":\"hr1\",\"operator\":{\"id\":\"acme:E1234\"},\"retracts\":\"hr1-000042\",\"reason\":\"entered in error\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-05-20T10:00:00Z");

    private final AssessmentValidator validator = new AssessmentValidator();

    @Test
    void designExampleIsValid() {
        AssessmentEvent event = valid(DESIGN_EXAMPLE);

        assertThat(event).isEqualTo(new AssessmentEvent("hr1-000042", AssessmentEventType.RECORDED,
                Instant.parse("2026-05-20T09:30:00Z"), "hr1", new Operator("acme:E1234", "Dana Ruiz", "dana@example.com"),
                "51-8091.00@v.26.05/emerging/1", AssessmentResult.PASS, new Assessor("acme:S77", null), "observation",
                List.of(), null, null));
        assertThat(event.statement()).isPresent();
    }

    @Test
    void retractionIsValid() {
        AssessmentEvent event = valid(RETRACTION);

        assertThat(event).isEqualTo(AssessmentEvent.retracted("hr1-000043", Instant.parse("2026-05-21T08:00:00Z"), "hr1",
                new Operator("acme:E1234", null, null), "hr1-000042", "entered in error"));
    }

    @Test
    void evidenceIsCarried() {
        AssessmentEvent event = valid(edit(DESIGN_EXAMPLE, e -> e.putArray("evidence")
                .add(JSON.createObjectNode().put("id", "https://hr.example.com/evidence/7").put("name", "Shift log"))
                .add(JSON.createObjectNode().put("narrative", "Ran the distillation column start-up unaided."))));

        assertThat(event.evidence()).containsExactly(
                new Evidence("https://hr.example.com/evidence/7", "Shift log", null),
                new Evidence(null, null, "Ran the distillation column start-up unaided."));
    }

    @Test
    void offsetsAndLowerCaseSeparatorsBecomeTheSameInstant() {
        assertThat(valid(edit(DESIGN_EXAMPLE, e -> e.put("occurredAt", "2026-05-20T11:30:00+02:00"))).occurredAt())
                .isEqualTo(Instant.parse("2026-05-20T09:30:00Z"));
        assertThat(valid(edit(DESIGN_EXAMPLE, e -> e.put("occurredAt", "2026-05-20t09:30:00.250z"))).occurredAt())
                .isEqualTo(Instant.parse("2026-05-20T09:30:00.250Z"));
        assertThat(valid(edit(DESIGN_EXAMPLE, e -> e.put("occurredAt", "2016-12-31T23:59:60Z"))).occurredAt())
                .as("RFC 3339 leap second").isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "type", "occurredAt", "source", "operator"})
    void everyEventNeedsItsCommonFields(String field) {
        Problem.FieldError error = single(edit(DESIGN_EXAMPLE, e -> e.remove(field)));

        assertThat(error).isEqualTo(new Problem.FieldError("/" + field, "is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"statementId", "result", "assessor"})
    void recordedEventsNeedStatementResultAndAssessor(String field) {
        Problem.FieldError error = single(edit(DESIGN_EXAMPLE, e -> e.remove(field)));

        assertThat(error).isEqualTo(new Problem.FieldError("/" + field, "is required for assessment.recorded events"));
    }

    @Test
    void retractedEventsNeedWhatTheyRetract() {
        Problem.FieldError error = single(edit(RETRACTION, e -> e.remove("retracts")));

        assertThat(error).isEqualTo(new Problem.FieldError("/retracts", "is required for assessment.retracted events"));
    }

    @Test
    void fieldsOfTheOtherEventTypeAreRefused() {
        assertThat(single(edit(RETRACTION, e -> e.put("statementId", "51-8091.00@v.26.05/emerging/1"))))
                .isEqualTo(new Problem.FieldError("/statementId", "is not allowed on assessment.retracted events"));
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("retracts", "hr1-000001"))))
                .isEqualTo(new Problem.FieldError("/retracts", "is not allowed on assessment.recorded events"));
        assertThat(errors(edit(DESIGN_EXAMPLE, e -> e.put("type", "assessment.retracted"))))
                .extracting(Problem.FieldError::pointer)
                .containsExactly("/assessor", "/method", "/result", "/retracts", "/statementId");
    }

    @Test
    void nestedIdsAreRequired() {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("operator")).remove("id"))))
                .isEqualTo(new Problem.FieldError("/operator/id", "is required"));
        assertThat(single(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("assessor")).remove("id"))))
                .isEqualTo(new Problem.FieldError("/assessor/id", "is required"));
    }

    @Test
    void eventIdIsOneTo200Characters() {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("eventId", "")))).extracting(Problem.FieldError::pointer).isEqualTo("/eventId");
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("eventId", "x".repeat(201)))))
                .isEqualTo(new Problem.FieldError("/eventId", "must be at most 200 characters long"));
        assertThat(valid(edit(DESIGN_EXAMPLE, e -> e.put("eventId", "x".repeat(200)))).eventId()).hasSize(200);
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("eventId", 42))))
                .isEqualTo(new Problem.FieldError("/eventId", "must be of type string, found integer"));
    }

    @Test
    void typeAndResultAreEnumerations() {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("type", "assessment.deleted"))))
                .isEqualTo(new Problem.FieldError("/type", "must be one of assessment.recorded, assessment.retracted"));
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("result", "PASS"))))
                .isEqualTo(new Problem.FieldError("/result", "must be one of pass, fail"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-20T09:30:00", "2026-05-20", "20 May 2026", "2026-05-20T25:30:00Z", "2026-02-30T09:30:00Z"})
    void occurredAtIsAnRfc3339DateTimeWithOffset(String occurredAt) {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("occurredAt", occurredAt))))
                .isEqualTo(new Problem.FieldError("/occurredAt", "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-05-20T09:30:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "51-8091.00@v.26.05/expert/1", "51-8091.00@v.26.05/emerging/0", "51-8091.00@v.26.05/emerging/10000",
        "51-8091.00/emerging/1", "518091.00@v.26.05/emerging/1", "51-8091.00@/emerging/1",
        "51-8091.00@v.26.05/Emerging/1", "51-8091.00@v.26.05/emerging/1\n", " 51-8091.00@v.26.05/emerging/1"})
    void statementIdFollowsTheIdentifierGrammar(String statementId) {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.put("statementId", statementId))).pointer()).isEqualTo("/statementId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"51-8091.00@v.26.05/advanced/10", "51-8099.00@2026_rev-1/developing/9999"})
    void wellFormedStatementIdsOfAnyFrameworkPass(String statementId) {
        assertThat(valid(edit(DESIGN_EXAMPLE, e -> e.put("statementId", statementId))).statementId()).isEqualTo(statementId);
    }

    @Test
    void anInvalidEmailIsNamedButNotRepeated() {
        Problem.FieldError error = single(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("operator")).put("email", "dana-at-example")));

        assertThat(error.pointer()).isEqualTo("/operator/email");
        assertThat(error.detail()).doesNotContain("dana");
    }

    /**
     * Issue 16: the address syntax decides (RFC 5321 §4.1.2, RFC 6531 for IDN), never a list of
     * top-level domains; reserved and private TLDs (RFC 2606, RFC 6762) are real addresses in HR systems.
     */
    @ParameterizedTest
    @ValueSource(strings = {"op0@plant0.example", "a@b.local", "a@acme.corp", "a@b.internal", "dana.ruiz+shift2@acme.com",
        "DANA@ACME.COM", "\"dana ruiz\"@acme.corp", "\"da\\\"na\"@acme.corp", "\"\"@acme.corp", "dana@bücher.example",
        "dana@xn--bcher-kva.example", "josé@acme.corp", "用户@例子.广告", "dana@[192.0.2.10]", "dana@[IPv6:2001:db8::1]", "dana@[IPv6:::ffff:192.0.2.1]",
        "!#$%&'*+-/=?^_`{|}~@acme.corp", "dana@a-b.c-d.example"})
    void anySyntacticallyValidAddressIsAccepted(String email) {
        AssessmentEvent event = valid(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("operator")).put("email", email)));

        assertThat(event.operator().email()).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dana", "@acme.corp", "dana@", "dana@@acme.corp", "dana@acme..corp", ".dana@acme.corp",
        "dana.@acme.corp", "da..na@acme.corp", "dana@-acme.corp", "dana@acme-.corp", "dana ruiz@acme.corp",
        "dana@acme.corp.", "dana@acme", "dana@acme.123", "dana@ac_me.corp", "da(comment)na@acme.corp", "\"dana@acme.corp",
        "dana@[300.1.1.1]", "dana@[IPv6:2001:db8::1::2]", "dana@[IPv6:1:2:3:4:5:6:7]", "dana@[acme.corp]", " dana@acme.corp", "dana@acme.corp ",
        "da\nna@acme.corp", "dana@acme.corp\u0000", "dana<dana@acme.corp>", "Dana <dana@acme.corp>",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@acme.corp",
        "dana@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.corp"})
    void malformedAddressesAreStillRefused(String email) {
        Problem.FieldError error = single(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("operator")).put("email", email)));

        assertThat(error).isEqualTo(new Problem.FieldError("/operator/email", "must be an e-mail address (RFC 5321 mailbox)"));
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevel() {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.set("metod", e.remove("method")))))
                .isEqualTo(new Problem.FieldError("/metod", "is not a field of this object; the schema allows no other fields"));
        assertThat(single(edit(DESIGN_EXAMPLE, e -> ((ObjectNode) e.get("operator")).put("phone", "+1 555 0100"))).pointer())
                .isEqualTo("/operator/phone");
    }

    @Test
    void nullIsNotAValue() {
        assertThat(single(edit(DESIGN_EXAMPLE, e -> e.putNull("method"))))
                .isEqualTo(new Problem.FieldError("/method", "must be of type string, found null"));
    }

    @Test
    void evidenceItemsAreChecked() {
        List<Problem.FieldError> errors = errors(edit(DESIGN_EXAMPLE, e -> e.putArray("evidence")
                .add(JSON.createObjectNode())
                .add(JSON.createObjectNode().put("id", "not a uri"))));

        assertThat(errors).containsExactly(
                new Problem.FieldError("/evidence/0", "must have at least one of its fields"),
                new Problem.FieldError("/evidence/1/id", "must be an absolute URI (RFC 3986)"));
    }

    @Test
    void everyErrorIsReportedAtOnceInPointerOrder() {
        String event = edit(DESIGN_EXAMPLE, e -> {
            e.remove("source");
            e.put("result", "maybe");
            ((ObjectNode) e.get("operator")).remove("id");
        });

        AssessmentValidation.Invalid invalid = (AssessmentValidation.Invalid) validator.validate(bytes(event));

        assertThat(invalid.errors()).extracting(Problem.FieldError::pointer).containsExactly("/operator/id", "/result", "/source");
        assertThat(invalid.eventId()).isEqualTo("hr1-000042");
        assertThat(invalid.operatorPresent()).isFalse();
    }

    @Test
    void invalidEventsBecomeRejectionsCarryingTheOriginal() {
        String event = edit(DESIGN_EXAMPLE, e -> e.put("result", "maybe"));
        AssessmentValidation.Invalid invalid = (AssessmentValidation.Invalid) validator.validate(bytes(event));

        Rejection rejection = invalid.rejection(NOW, bytes(event));

        assertThat(rejection).isEqualTo(new Rejection("hr1-000042", RejectionReason.INVALID_FIELD,
                "/result must be one of pass, fail", "/result", "ingest", NOW, event));
    }

    @Test
    void eventsWithoutOperatorAreRejectedAsSuch() {
        String event = edit(DESIGN_EXAMPLE, e -> {
            e.remove("operator");
            e.remove("eventId");
        });
        AssessmentValidation.Invalid invalid = (AssessmentValidation.Invalid) validator.validate(bytes(event));

        Rejection rejection = invalid.rejection(NOW, bytes(event));

        assertThat(rejection.reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
        assertThat(rejection.eventId()).as("unreadable").isNull();
        assertThat(rejection.pointer()).as("two fields at fault").isNull();
        assertThat(rejection.detail()).isEqualTo("/eventId is required; /operator is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"eventId\": \"a\",}", "{\"a\":1} {\"b\":2}", "[1, 2]", "\"hr1\"", "null", "nul"})
    void whatIsNotOneJsonObjectIsMalformed(String body) {
        AssessmentValidation validation = validator.validate(bytes(body));

        assertThat(validation).isInstanceOf(AssessmentValidation.Malformed.class);
        Rejection rejection = ((AssessmentValidation.Malformed) validation).rejection(NOW, bytes(body));
        assertThat(rejection.reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
        assertThat(rejection.original()).isEqualTo(body);
        assertThat(rejection.stage()).isEqualTo("ingest");
    }

    @Test
    void duplicateMembersAreMalformedRatherThanGuessed() {
        String twice = DESIGN_EXAMPLE.replace("\"result\":\"pass\"", "\"result\":\"pass\",\"result\":\"fail\"");

        AssessmentValidation validation = validator.validate(bytes(twice));

        assertThat(validation).isInstanceOf(AssessmentValidation.Malformed.class);
        assertThat(((AssessmentValidation.Malformed) validation).detail()).contains("Duplicate field 'result'").contains("line 1");
    }

    @Test
    void theServedSchemaIsDraft2020_12() throws Exception {
        JsonNode schema = JSON.readTree(validator.schema());

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("properties").get("type").get("enum")).hasSize(2);
    }

    private AssessmentEvent valid(String json) {
        AssessmentValidation validation = validator.validate(bytes(json));
        assertThat(validation).isInstanceOf(AssessmentValidation.Valid.class);
        return ((AssessmentValidation.Valid) validation).event();
    }

    private List<Problem.FieldError> errors(String json) {
        AssessmentValidation validation = validator.validate(bytes(json));
        assertThat(validation).isInstanceOf(AssessmentValidation.Invalid.class);
        return ((AssessmentValidation.Invalid) validation).errors();
    }

    private Problem.FieldError single(String json) {
        List<Problem.FieldError> errors = errors(json);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    public static String edit(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            change.accept(node);
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void instantsReadByHandAreTheFormattersInstants() {
        java.util.Random random = new java.util.Random(7);
        String[] offsets = {"Z", "z", "+00:00", "-00:00", "+05:30", "-11:45", "+18:00", "+14:00"};
        for (int n = 0; n < 5_000; n++) {
            String text = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d%s%02d:%02d:%02d%s%s", random.nextInt(10_000),
                    1 + random.nextInt(12), 1 + random.nextInt(31), random.nextBoolean() ? "T" : "t", random.nextInt(24),
                    random.nextInt(60), random.nextInt(61),
                    random.nextBoolean() ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9)),
                    offsets[random.nextInt(offsets.length)]);
            Instant expected;
            try {
                expected = java.time.format.DateTimeFormatter.ISO_INSTANT.parse(text.toUpperCase(java.util.Locale.ROOT), Instant::from);
            } catch (java.time.DateTimeException e) {
                expected = null;
            }
            assertThat(AssessmentValidator.instant(text)).as(text).isEqualTo(expected);
        }
    }
}
