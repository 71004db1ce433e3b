package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.event.AssessmentEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class CsvAssessmentsTest {

    public static final String HEADER = "eventId,type,occurredAt,source,operatorId,operatorName,operatorEmail,statementId,result,assessorId,method";

    @Test
    void rowsBecomeEventsTheSchemaAccepts() throws Exception {
        String csv = HEADER + "\n"
                + "hr1-1,assessment.recorded,2026-05-20T09:30:00Z,hr1,acme:E1,\"Ruiz, Dana\",dana@example.com,51-8091.00@v.26.05/emerging/1,pass,acme:S77,observation\n";

        List<BatchIntake.Line> lines = CsvAssessments.lines(bytes(csv), Map.of(), 10);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).number()).isEqualTo(2);
        AssessmentValidation validation = new AssessmentValidator().validate(lines.get(0).json());
        assertThat(validation).isInstanceOf(AssessmentValidation.Valid.class);
        AssessmentEvent event = ((AssessmentValidation.Valid) validation).event();
        assertThat(event.operator().name()).isEqualTo("Ruiz, Dana");
        assertThat(event.assessor().id()).isEqualTo("acme:S77");
        assertThat(event.method()).isEqualTo("observation");
        assertThat(new String(lines.get(0).original(), StandardCharsets.UTF_8)).startsWith("hr1-1,assessment.recorded,").contains("\"Ruiz, Dana\"");
    }

    @Test
    void lineNumbersAreTheFilesEvenWithMultiLineCellsAndBlankLines() throws Exception {
        String csv = "eventId,type,occurredAt,source,operatorId,retracts,reason\r\n"
                + "r1,assessment.retracted,2026-05-21T08:00:00Z,hr1,acme:E1,hr1-1,\"entered\nin error\"\r\n"
                + "\r\n"
                + "r2,assessment.retracted,2026-05-21T08:00:00Z,hr1,acme:E1,hr1-2,\r\n";

        List<BatchIntake.Line> lines = CsvAssessments.lines(bytes(csv), Map.of(), 10);

        assertThat(lines).extracting(BatchIntake.Line::number).containsExactly(2, 5);
        assertThat(new ObjectMapper().readTree(lines.get(0).json()).get("reason").asText()).isEqualTo("entered\nin error");
        assertThat(new ObjectMapper().readTree(lines.get(1).json()).has("reason")).as("empty cell, absent field").isFalse();
    }

    @Test
    void aMappingRenamesTheFilesHeaders() throws Exception {
        String csv = "\uFEFFid,type,occurredAt,source,EmployeeNo\nx1,assessment.retracted,2026-05-21T08:00:00Z,hr1,E9\n";

        List<BatchIntake.Line> lines = CsvAssessments.lines(bytes(csv), CsvAssessments.mapping(List.of("eventId:id,operatorId:EmployeeNo")), 10);

        var event = new ObjectMapper().readTree(lines.get(0).json());
        assertThat(event.get("eventId").asText()).isEqualTo("x1");
        assertThat(event.get("operator").get("id").asText()).isEqualTo("E9");
    }

    @Test
    void unknownColumnsAndBadMappingsAreRefused() {
        assertThatThrownBy(() -> CsvAssessments.lines(bytes("eventId,operatorID\n"), Map.of(), 10))
                .isInstanceOf(CsvAssessments.CsvFormatException.class).hasMessageContaining("[operatorID]");
        assertThatThrownBy(() -> CsvAssessments.lines(bytes(""), Map.of(), 10))
                .isInstanceOf(CsvAssessments.CsvFormatException.class);
        assertThatThrownBy(() -> CsvAssessments.mapping(List.of("employee:EmployeeNo")))
                .isInstanceOf(CsvAssessments.CsvFormatException.class);
        assertThatThrownBy(() -> CsvAssessments.lines(bytes("eventId\na\nb\nc\n"), Map.of(), 2))
                .isInstanceOf(CsvAssessments.TooManyRows.class);
    }

    @Test
    void fieldErrorsNameTheirColumn() {
        assertThat(CsvAssessments.withColumn(new io.credpipe.model.problem.Problem.FieldError("/operator/id", "is required")).detail())
                .isEqualTo("column operatorId: is required");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
