package io.credpipe.topics.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.decision.LevelLost;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.decision.LossReason;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.StatementId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final FrameworkId CHEMICAL = new FrameworkId("51-8091.00", "v.26.05");

    @Test
    void catalogueMatchesDesign() {
        assertThat(Topics.ALL).extracting(Topic::name).containsExactly(
                "frameworks", "assessments", "assessments-rejected", "assessments-dead-letter", "achievements", "credential-commands", "credentials",
                "credential-status", "deliveries", "operator-links", "wallet-offers");
        assertThat(Topics.OPERATOR_LINKS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
        assertThat(Topics.DELIVERIES.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
        assertThat(Topics.FRAMEWORKS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
        assertThat(Topics.CREDENTIALS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .containsEntry(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        assertThat(Topics.CREDENTIAL_STATUS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
        assertThat(Topics.ASSESSMENTS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
        assertThat(Topics.DELIVERIES.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
        assertThat(Topics.ASSESSMENTS.newTopic(Optional.of(3), Optional.empty()).numPartitions()).isEqualTo(3);
        // The wallet offer log's order decides single use: one partition whatever a deployment asks,
        // and deleted rather than compacted, which would forget the first (winning) claim on a code.
        assertThat(Topics.WALLET_OFFERS.newTopic(Optional.of(3), Optional.empty()).numPartitions()).isEqualTo(1);
        assertThat(Topics.WALLET_OFFERS.config()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
    }

    @Test
    void designExampleEventReadsAsIs() {
        String example = "{\"eventId\":\"hr1-000042\",\"type\":\"assessment.recorded\",\"occurredAt\":\"2026-05-20T09:30:00Z\","
                + "\"source\":\"hr1\",\"operator\":{\"id\":\"acme:E1234\",\"name\":\"Dana Ruiz\",\"email\":\"dana@example.com\"},"
                + "\"statementId\":\"51-8091.00@v.26.05/emerging/1\",\"result\":\"pass\",\"assessor\":{\"id\":\"acme:S77\"},"
                + "\"method\":\"observation\"}";
        AssessmentEvent event = Topics.ASSESSMENTS.valueSerde().deserializer()
                .deserialize("assessments", example.getBytes(StandardCharsets.UTF_8));
        assertThat(event.eventId()).isEqualTo("hr1-000042");
        assertThat(event.result()).isEqualTo(AssessmentResult.PASS);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-20T09:30:00Z"));
        assertThat(event.statement()).contains(new StatementId(CHEMICAL, Level.EMERGING, 1));
        assertThat(event.operator().toString()).doesNotContain("dana@example.com");

        byte[] written = Topics.ASSESSMENTS.valueSerde().serializer().serialize("assessments", event);
        assertThat(new String(written, StandardCharsets.UTF_8))
                .contains("\"type\":\"assessment.recorded\"", "\"occurredAt\":\"2026-05-20T09:30:00Z\"")
                .doesNotContain("null", "retracts", "evidence");
    }

    @Test
    void decisionsRoundTripWithTheirType() {
        Operator dana = new Operator("acme:E1234", "Dana Ruiz", null);
        LevelDecision achieved = new LevelAchieved(dana, CHEMICAL, Level.EMERGING, 1,
                List.of(new DemonstratedStatement(CHEMICAL + "/emerging/1", "hr1-1", new Assessor("acme:S77", null),
                        "observation", Instant.parse("2026-05-20T09:30:00Z"), null)),
                Instant.parse("2026-05-20T09:30:00Z"), null, LevelPolicy.DEFAULT.ref(), "hr1-1");
        LevelDecision lost = new LevelLost(dana, CHEMICAL, Level.EMERGING, 1, LossReason.RETRACTED,
                "hr1-1 was retracted", Instant.parse("2026-05-21T09:30:00Z"), LevelPolicy.DEFAULT.ref(), "hr1-2");
        var serde = Topics.ACHIEVEMENTS.valueSerde();
        for (LevelDecision decision : List.of(achieved, lost)) {
            byte[] bytes = serde.serializer().serialize("achievements", decision);
            assertThat(serde.deserializer().deserialize("achievements", bytes)).isEqualTo(decision);
        }
        assertThat(new String(serde.serializer().serialize("achievements", lost), StandardCharsets.UTF_8))
                .contains("\"type\":\"level.lost\"", "\"reason\":\"retracted\"", "\"level\":\"emerging\"",
                        "\"framework\":\"51-8091.00@v.26.05\"");
    }

    @Test
    void frameworksTravelInTheExportFormat() {
        Framework framework = SeedFrameworks.load().get(1);
        var serde = Topics.FRAMEWORKS.valueSerde();
        byte[] bytes = serde.serializer().serialize("frameworks", framework);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"occupation\":{\"soc\":\"51-8099.00\"");
        assertThat(serde.deserializer().deserialize("frameworks", bytes)).isEqualTo(framework);
    }

    @Test
    void unreadableRecordIsASerializationErrorNamingTheType() {
        var deserializer = Topics.ASSESSMENTS.valueSerde().deserializer();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> deserializer.deserialize("assessments", "{\"occurredAt\": 12".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a valid AssessmentEvent");
    }
}
