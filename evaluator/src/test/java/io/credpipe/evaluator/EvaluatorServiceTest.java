package io.credpipe.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.problem.ProblemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvaluatorServiceTest {

    @Test
    void theEndpointSaysUnavailableWhileTheEvaluatorIsNotRunning() {
        EvaluatorService notStarted = new EvaluatorService(new EvaluatorConfig("127.0.0.1:1", "unused", Path.of("unused")));
        assertThatThrownBy(() -> notStarted.progressQueries().report("acme:E1234"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().type()).endsWith("/progress-unavailable");
                });
    }
}
