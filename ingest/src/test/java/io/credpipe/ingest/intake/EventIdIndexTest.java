package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Operator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventIdIndexTest {

    private static final EventFingerprint CONTENT = EventFingerprint.of(AssessmentEvent.retracted("e", Instant.EPOCH, "hr1",
            new Operator("acme:E1", null, null), "e0", null));

    @Test
    void remembersEveryKeyThroughGrowth() {
        EventIdIndex index = new EventIdIndex(16);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.add(new EventKey("hr1", "e-" + i), CONTENT)).isTrue();
        }
        assertThat(index.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.find(new EventKey("hr1", "e-" + i))).contains(CONTENT);
            assertThat(index.find(new EventKey("hr2", "e-" + i))).isEmpty();
        }
        assertThat(index.add(new EventKey("hr1", "e-5"), CONTENT)).isFalse();
        assertThat(index.size()).isEqualTo(100_000);
    }

    @Test
    void theKeyIsUnambiguous() {
        EventIdIndex index = new EventIdIndex();
        index.add(new EventKey("hr1", "2e"), CONTENT);

        assertThat(index.find(new EventKey("hr12", "e"))).isEmpty();
    }
}
