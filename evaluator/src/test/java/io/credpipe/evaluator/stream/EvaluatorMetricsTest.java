package io.credpipe.evaluator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.evaluator.EvaluatorService;
import io.credpipe.evaluator.EvaluatorConfig;
import io.credpipe.model.event.RejectionReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvaluatorMetricsTest {

    @Test
    void theServiceRegistersACounterPerRejectionReasonInTheGivenRegistry() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new EvaluatorService(new EvaluatorConfig("127.0.0.1:1", "unused", Path.of("unused")), meters);

        for (RejectionReason reason : RejectionReason.values()) {
            assertThat(meters.find(EvaluatorMetrics.REJECTIONS).tag("reason", reason.id()).counter())
                    .as(reason.id()).isNotNull()
                    .satisfies(counter -> assertThat(counter.count()).isZero());
        }
        assertThat(meters.find(EvaluatorMetrics.DECISIONS).counters()).hasSize(2);
        assertThat(meters.find(EvaluatorMetrics.EVENTS).counters()).hasSize(3);
    }
}
