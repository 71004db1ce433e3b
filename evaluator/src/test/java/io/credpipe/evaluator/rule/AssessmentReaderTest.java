package io.credpipe.evaluator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Evidence;
import io.credpipe.model.event.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AssessmentReaderTest {

    private static final String KEY = "acme:E1234";
    private static final String EXAMPLE = "{\"eventId\":\"hr1-000042\",\"type\":\"assessment.recorded\","
            + "\"occurredAt\":\"2026-05-20T09:30:00Z\",\"source\":\"hr1\","
            + "\"operator\":{\"id\":\"acme:E1234\",\"name\":\"Dana Ruiz\",\"email\":\"dana@example.com\"},"
            + "\"statementId\":\"51-8091.00@v.26.05/emerging/1\",\"result\":\"pass\",\"assessor\":{\"id\":\"acme:S77\"},"
            + "\"method\":\"observation\"}";
    private static final String RETRACTION = "{\"eventId\":\"hr1-000043\",\"type\":\"assessment.retracted\","
            + "\"occurredAt\":\"2026-05-21T09:30:00+02:00\",\"source\":\"hr1\",\"operator\":{\"id\":\"acme:E1234\"},"
            + "\"retracts\":\"hr1-000042\",\"reason\":\"wrong operator\"}";

    private final AssessmentReader reader = new AssessmentReader();

    private AssessmentReader.Read read(String key, String json) {
        AssessmentReader.Result result = reader.read(key, json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).as(json).isInstanceOf(AssessmentReader.Read.class);
        return (AssessmentReader.Read) result;
    }

    private Refusal refuse(String key, String json) {
        AssessmentReader.Result result = reader.read(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).as(json).isInstanceOf(Refusal.class);
        return (Refusal) result;
    }

    @Test
    void readsTheDesignExample() {
        var event = read(KEY, EXAMPLE).event();
        assertThat(event.eventId()).isEqualTo("hr1-000042");
        assertThat(event.type()).isEqualTo(AssessmentEventType.RECORDED);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-20T09:30:00Z"));
        assertThat(event.operator().email()).isEqualTo("dana@example.com");
        assertThat(event.result()).isEqualTo(AssessmentResult.PASS);
        assertThat(event.assessor().id()).isEqualTo("acme:S77");
        assertThat(event.method()).isEqualTo("observation");
        assertThat(event.evidence()).isEmpty();
    }

    @Test
    void readsARetractionWithAnOffsetTimestamp() {
        var event = read(KEY, RETRACTION).event();
        assertThat(event.type()).isEqualTo(AssessmentEventType.RETRACTED);
        assertThat(event.retracts()).isEqualTo("hr1-000042");
        assertThat(event.reason()).isEqualTo("wrong operator");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-21T07:30:00Z"));
    }

    @Test
    void refusesAnOccurredAtOutsideTheSaneWindow() {
        // Year 0000 under P3Y would be met and issued already expired; year 9999's expiry outgrows four-digit years.
        for (String when : new String[] {"0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z"}) {
            Refusal refusal = refuse(KEY, EXAMPLE.replace("2026-05-20T09:30:00Z", when));
            assertThat(refusal.reason()).as(when).isEqualTo(RejectionReason.INVALID_FIELD);
            assertThat(refusal.pointer()).isEqualTo("/occurredAt");
            assertThat(refusal.detail()).contains("1970-01-01T00:00:00Z");
        }
        assertThat(read(KEY, EXAMPLE.replace("2026-05-20T09:30:00Z", "1970-01-01T00:00:00Z")).event().occurredAt())
                .isEqualTo(Instant.EPOCH);
    }

    @Test
    void readsEvidenceAndToleratesUnknownFields() {
        String json = EXAMPLE.replace("\"method\":\"observation\"",
                "\"method\":\"observation\",\"evidence\":[{\"id\":\"https://x.example/1\",\"narrative\":\"ran the drill\"}],"
                        + "\"futureField\":{\"a\":1}");
        assertThat(read(KEY, json).event().evidence()).containsExactly(new Evidence("https://x.example/1", null, "ran the drill"));
    }

    @Test
    void theContentHashIgnoresFormattingButNotContent() {
        String hash = read(KEY, EXAMPLE).contentHash();
        String reordered = "{ \"type\" : \"assessment.recorded\", \"eventId\":\"hr1-000042\",\n"
                + "\"occurredAt\":\"2026-05-20T11:30:00.000+02:00\",\"source\":\"hr1\","
                + "\"method\":\"observation\",\"assessor\":{\"id\":\"acme:S77\"},\"result\":\"pass\","
                + "\"statementId\":\"51-8091.00@v.26.05/emerging/1\","
                + "\"operator\":{\"email\":\"dana@example.com\",\"name\":\"Dana Ruiz\",\"id\":\"acme:E1234\"}}";
        assertThat(read(KEY, reordered).contentHash()).isEqualTo(hash);
        assertThat(read(KEY, EXAMPLE.replace("\"pass\"", "\"fail\"")).contentHash()).isNotEqualTo(hash);
        assertThat(read(KEY, EXAMPLE.replace("09:30:00Z", "09:30:01Z")).contentHash()).isNotEqualTo(hash);
        assertThat(read(KEY, EXAMPLE.replace("Dana Ruiz", "Dana R.")).contentHash()).isNotEqualTo(hash);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "42", "{\"eventId\":\"a\"} trailing",
        "{\"eventId\":\"a\",\"eventId\":\"b\"}", "{\"eventId\":"})
    void malformedRecordsAreMalformedJson(String value) {
        Refusal refusal = refuse(KEY, value);
        assertThat(refusal.reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
        assertThat(refusal.eventId()).isNull();
        assertThat(refusal.pointer()).isNull();
    }

    @Test
    void anEmptyRecordIsMalformed() {
        assertThat(refuse(KEY, null).reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
        assertThat(refuse(KEY, "").reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing eventId      | \"eventId\":\"hr1-000042\",                    | \"x\":1,                          | /eventId",
        "numeric eventId      | \"eventId\":\"hr1-000042\"                     | \"eventId\":42                    | /eventId",
        "blank eventId        | \"eventId\":\"hr1-000042\"                     | \"eventId\":\"  \"                | /eventId",
        "unknown type         | \"assessment.recorded\"                        | \"assessment.noted\"              | /type",
        "no offset            | \"2026-05-20T09:30:00Z\"                       | \"2026-05-20T09:30:00\"           | /occurredAt",
        "no seconds           | \"2026-05-20T09:30:00Z\"                       | \"2026-05-20T09:30Z\"             | /occurredAt",
        "impossible date      | \"2026-05-20T09:30:00Z\"                       | \"2026-02-30T09:30:00Z\"          | /occurredAt",
        "epoch number         | \"2026-05-20T09:30:00Z\"                       | 1779269400                        | /occurredAt",
        "missing source       | \"source\":\"hr1\",                            | ''                                | /source",
        "operator name number | \"name\":\"Dana Ruiz\"                         | \"name\":7                        | /operator/name",
        "bad statement id     | \"51-8091.00@v.26.05/emerging/1\"              | \"51-8091.00/emerging/1\"         | /statementId",
        "unknown level        | \"51-8091.00@v.26.05/emerging/1\"              | \"51-8091.00@v.26.05/expert/1\"   | /statementId",
        "result maybe         | \"result\":\"pass\"                            | \"result\":\"maybe\"              | /result",
        "missing result       | \"result\":\"pass\",                           | ''                                | /result",
        "missing assessor     | \"assessor\":{\"id\":\"acme:S77\"},            | ''                                | /assessor",
        "assessor without id  | \"assessor\":{\"id\":\"acme:S77\"}             | \"assessor\":{\"name\":\"Sam\"}   | /assessor/id",
        "assessor as string   | \"assessor\":{\"id\":\"acme:S77\"}             | \"assessor\":\"acme:S77\"         | /assessor",
        "method number        | \"method\":\"observation\"                     | \"method\":1                      | /method",
        "evidence object      | \"method\":\"observation\"                     | \"evidence\":{}                   | /evidence",
        "evidence item text   | \"method\":\"observation\"                     | \"evidence\":[{},\"x\"]           | /evidence/1",
        "recorded retracts    | \"method\":\"observation\"                     | \"retracts\":\"hr1-1\"            | /retracts",
    })
    void invalidFieldsAreNamedByPointer(String name, String replaced, String replacement, String pointer) {
        String json = EXAMPLE.replace(replaced, replacement).replace(",}", "}").replace("{,", "{");
        assertThat(json).as("test case %s must change the example", name).isNotEqualTo(EXAMPLE);
        Refusal refusal = refuse(KEY, json);
        assertThat(refusal.reason()).isEqualTo(RejectionReason.INVALID_FIELD);
        assertThat(refusal.pointer()).isEqualTo(pointer);
        assertThat(refusal.detail()).startsWith(pointer + " ");
    }

    @Test
    void aRetractionNeedsWhatItRetractsAndNothingOfARecording() {
        Refusal missing = refuse(KEY, RETRACTION.replace("\"retracts\":\"hr1-000042\",", ""));
        assertThat(missing.reason()).isEqualTo(RejectionReason.INVALID_FIELD);
        assertThat(missing.pointer()).isEqualTo("/retracts");
        assertThat(read(KEY, RETRACTION.replace("\"reason\"", "\"evidence\":[],\"reason\"")).event().retracts())
                .as("the model's serde writes an empty evidence list on retractions").isEqualTo("hr1-000042");
        Refusal withEvidence = refuse(KEY, RETRACTION.replace("\"reason\"", "\"evidence\":[{}],\"reason\""));
        assertThat(withEvidence.pointer()).isEqualTo("/evidence");
        Refusal withResult = refuse(KEY, RETRACTION.replace("\"reason\"", "\"result\":\"pass\",\"reason\""));
        assertThat(withResult.pointer()).isEqualTo("/result");
        assertThat(withResult.eventId()).isEqualTo("hr1-000043");
    }

    @Test
    void anOperatorIsRequiredAndMustBeTheRecordKey() {
        Refusal none = refuse(KEY, EXAMPLE.replace(
                "\"operator\":{\"id\":\"acme:E1234\",\"name\":\"Dana Ruiz\",\"email\":\"dana@example.com\"},", ""));
        assertThat(none.reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
        assertThat(none.pointer()).isEqualTo("/operator");
        assertThat(none.eventId()).isEqualTo("hr1-000042");

        Refusal noId = refuse(KEY, EXAMPLE.replace("\"id\":\"acme:E1234\",", ""));
        assertThat(noId.reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
        assertThat(noId.pointer()).isEqualTo("/operator/id");

        Refusal otherKey = refuse("acme:E9", EXAMPLE);
        assertThat(otherKey.reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
        assertThat(otherKey.detail()).contains("acme:E9", "acme:E1234").doesNotContain("dana@example.com");

        assertThat(refuse(null, EXAMPLE).reason()).isEqualTo(RejectionReason.MISSING_OPERATOR);
    }

    @Test
    void theEventIdIsCarriedWhenReadableEvenIfAnotherFieldIsWrong() {
        assertThat(refuse(KEY, EXAMPLE.replace("\"pass\"", "\"maybe\"")).eventId()).isEqualTo("hr1-000042");
        assertThat(refuse(KEY, EXAMPLE.replace("\"hr1-000042\"", "7")).eventId()).isNull();
        String longId = "x".repeat(AssessmentReader.MAX_EVENT_ID_LENGTH + 1);
        Refusal tooLong = refuse(KEY, EXAMPLE.replace("hr1-000042", longId));
        assertThat(tooLong.pointer()).isEqualTo("/eventId");
        assertThat(tooLong.eventId()).isNull();
    }
}
