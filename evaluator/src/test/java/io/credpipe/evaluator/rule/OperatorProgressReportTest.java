package io.credpipe.evaluator.rule;

import static io.credpipe.evaluator.rule.TestEvents.OPERATOR;
import static io.credpipe.evaluator.rule.TestEvents.OPERATOR_ID;
import static io.credpipe.evaluator.rule.TestEvents.SMALL;
import static io.credpipe.evaluator.rule.TestEvents.at;
import static io.credpipe.evaluator.rule.TestEvents.pass;
import static io.credpipe.evaluator.rule.TestEvents.small;
import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.decision.DemonstratedStatement;
import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.json.Json;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorProgressReportTest {

    private static OperatorProgress progress(Framework framework, LevelPolicy policy, AssessmentEvent... events) {
        OperatorProgress progress = null;
        for (AssessmentEvent event : events) {
            progress = ((ProgressRule.Applied) ProgressRule.apply(progress, event, framework, policy, OPERATOR)).progress();
        }
        return progress;
    }

    @Test
    void reportsEachLevelWithWhatIsDemonstratedMissingAndWhenItExpires() throws Exception {
        LevelPolicy yearly = new LevelPolicy("yearly", 1, 100, true, Period.ofYears(1));
        OperatorProgress small = progress(SMALL, yearly,
                pass("e1", at(1), small(Level.EMERGING, 1)),
                pass("e2", at(2), small(Level.EMERGING, 2)),
                pass("e3", at(3), small(Level.EMERGING, 3)),
                pass("d1", at(4), small(Level.DEVELOPING, 1)));
        Framework gone = TestEvents.framework(new FrameworkId("55-5555.00", "v1"), 1, 1, 1, 1);
        OperatorProgress unloaded = progress(gone, LevelPolicy.DEFAULT,
                pass("g1", at(1), TestEvents.statement(gone, Level.EMERGING, 1)));

        OperatorProgressReport report = OperatorProgressReport.of(OPERATOR_ID, List.of(unloaded, small),
                FrameworkCatalogue.of(List.of(SMALL)), LevelPolicies.defaults().with(SMALL.id(), yearly));

        assertThat(report.frameworks()).as("a framework no longer loaded is left out").hasSize(1);
        OperatorProgressReport.FrameworkReport framework = report.frameworks().get(0);
        assertThat(framework.framework()).isEqualTo(SMALL.id());
        assertThat(framework.policy()).isEqualTo(yearly.ref());
        assertThat(framework.asOf()).isEqualTo(at(4));
        OperatorProgressReport.LevelReport emerging = framework.levels().get(0);
        assertThat(emerging.met()).isTrue();
        assertThat(emerging.achievements()).isEqualTo(1);
        assertThat(emerging.statements()).isEqualTo(3);
        assertThat(emerging.demonstrated()).extracting(DemonstratedStatement::expiresAt)
                .containsExactly(java.time.Instant.parse("2027-01-01T00:01:00Z"), java.time.Instant.parse("2027-01-01T00:02:00Z"),
                        java.time.Instant.parse("2027-01-01T00:03:00Z"));
        assertThat(emerging.validUntil()).isEqualTo(java.time.Instant.parse("2027-01-01T00:01:00Z"));
        OperatorProgressReport.LevelReport developing = framework.levels().get(1);
        assertThat(developing.met()).isFalse();
        assertThat(developing.validUntil()).isNull();
        assertThat(developing.demonstrated()).extracting(DemonstratedStatement::eventId).containsExactly("d1");
        assertThat(developing.missing()).containsExactly(small(Level.DEVELOPING, 2).toString());

        String json = Json.newMapper().writeValueAsString(report);
        assertThat(json).contains("\"level\":\"emerging\"", "\"met\":true").doesNotContain("dana@example.com", "Dana Ruiz");
    }
}
