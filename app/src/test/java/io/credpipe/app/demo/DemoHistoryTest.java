package io.credpipe.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.SeedFrameworks;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoHistoryTest {

    private final List<Framework> frameworks = SeedFrameworks.load();
    private final List<DemoHistory.OperatorScript> scripts = DemoHistory.generate(frameworks, Demo.OPERATORS, 2026);

    @Test
    void sameSeedSameHistory() {
        assertThat(DemoHistory.generate(frameworks, Demo.OPERATORS, 2026)).isEqualTo(scripts);
        assertThat(DemoHistory.generate(frameworks, Demo.OPERATORS, 7)).isNotEqualTo(scripts);
    }

    @Test
    void eventIdsAreUniqueExceptDeliberateResends() {
        Map<String, AssessmentEvent> byId = new HashMap<>();
        int resends = 0;
        for (var script : scripts) {
            for (AssessmentEvent event : script.sends()) {
                AssessmentEvent earlier = byId.putIfAbsent(event.eventId(), event);
                if (earlier != null) {
                    assertThat(earlier).isEqualTo(event);
                    resends++;
                }
                assertThat(event.operatorId()).isEqualTo(script.operator().id());
            }
        }
        assertThat(resends).isPositive();
    }

    @Test
    void historyHasTheCasesTheDemoShows() {
        List<AssessmentEvent> all = scripts.stream().flatMap(s -> s.sends().stream()).toList();
        assertThat(all).anyMatch(e -> e.type() == AssessmentEventType.RETRACTED);
        assertThat(all).anyMatch(e -> e.statementId() != null && e.statementId().endsWith("/emerging/11"));
        assertThat(all).anyMatch(e -> e.statementId() != null && e.statementId().startsWith("51-8099.00"));
        assertThat(all).allMatch(e -> e.occurredAt().isBefore(Instant.parse("2026-11-01T00:00:00Z")));
        // Someone reaches advanced somewhere, someone meets nothing: the table shows a spread.
        assertThat(all).anyMatch(e -> e.statementId() != null && e.statementId().contains("/advanced/10"));
    }
}
