package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdIndexTest {

    @Test
    void remembersEveryIdThroughGrowth() {
        EventIdIndex index = new EventIdIndex(16);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.add("hr1-" + i)).isTrue();
        }
        assertThat(index.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(index.contains("hr1-" + i)).isTrue();
            assertThat(index.contains("hr2-" + i)).isFalse();
        }
        assertThat(index.add("hr1-5")).isFalse();
        assertThat(index.size()).isEqualTo(100_000);
    }
}
