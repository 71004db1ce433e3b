package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.auth.Caller;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.testing.HostileInputs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.SeedFrameworks;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Intake (validation, idempotency, rejection records) and the CSV reader against generated hostile
 * lines (10,000 each per run, seeded; {@code -Dcredpipe.fuzz.inputs=N} for more): every line gets
 * an outcome, every rejection a reason, and nothing throws.
 */
class IntakeFuzzTest {

    private static final int INPUTS = Integer.getInteger("credpipe.fuzz.inputs", 10_000);
    private static final long SEED = Long.getLong("credpipe.fuzz.seed", 20261205L);
    private static final Caller HR1 = new Caller("hr1", false);

    private final BatchIntake intake = new BatchIntake(new AssessmentValidator(), new EventSink() {
        @Override
        public CompletableFuture<LogPosition> publish(AssessmentEvent event) {
            return CompletableFuture.completedFuture(new LogPosition(0, 0L));
        }

        @Override
        public CompletableFuture<?> publishRejection(Rejection rejection) {
            return CompletableFuture.completedFuture(null);
        }
    }, new EventIdIndex(), new KnownReferences() {
        private final List<Framework> loaded = SeedFrameworks.load();

        @Override
        public Optional<Framework> framework(FrameworkId id) {
            return loaded.stream().filter(f -> f.id().equals(id)).findFirst();
        }

        @Override
        public boolean catchUp() {
            return true;
        }
    }, e -> false, Clock.systemUTC());

    @Test
    void everyHostileLineGetsAnOutcome() throws Exception {
        HostileInputs inputs = new HostileInputs(SEED);
        for (int i = 0; i < INPUTS; i++) {
            byte[] line = inputs.jsonBody();
            IntakeReport report;
            try {
                report = intake.take(HR1, List.of(new BatchIntake.Line(1, line, line)), System.nanoTime() + 5_000_000_000L);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", input " + i + " threw on: " + new String(line, StandardCharsets.UTF_8), e);
            }
            assertThat(report.lines()).hasSize(1);
            IntakeReport.Line outcome = report.lines().get(0);
            if (outcome.status() == IntakeReport.Status.REJECTED) {
                assertThat(outcome.reason()).as("input %d", i).isNotBlank();
            }
        }
    }

    @Test
    void anUnpairedSurrogateEscapeIsMalformedSoThatNoTwoIdsBecomeOneAsUtf8() {
        for (String id : new String[] {"a\\ud800", "a\\udc00b", "\\ud800\\ud800"}) {
            byte[] line = HostileInputs.VALID_EVENT.replace("hr1-000042", id).getBytes(StandardCharsets.UTF_8);

            assertThat(new AssessmentValidator().validate(line)).as(id).isInstanceOf(AssessmentValidation.Malformed.class);
        }
        byte[] paired = HostileInputs.VALID_EVENT.replace("hr1-000042", "a\\ud83d\\ude00").getBytes(StandardCharsets.UTF_8);
        assertThat(new AssessmentValidator().validate(paired)).isInstanceOf(AssessmentValidation.Valid.class);
    }

    @Test
    void everyHostileCsvIsReadOrRefusedAsInvalidCsv() {
        HostileInputs inputs = new HostileInputs(SEED);
        for (int i = 0; i < INPUTS / 10; i++) {
            byte[] csv = inputs.csvBody();
            try {
                CsvAssessments.lines(csv, CsvAssessments.mapping(List.of()), 10_000);
            } catch (CsvAssessments.CsvFormatException | CsvAssessments.TooManyRows refused) {
                assertThat(refused.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", CSV " + i + " threw on: " + new String(csv, StandardCharsets.UTF_8), e);
            }
        }
        assertThat(Map.of()).isEmpty();
    }
}
