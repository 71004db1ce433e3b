package io.credpipe.evaluator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.event.RejectionReason;
import io.credpipe.model.json.Utf8;
import io.credpipe.testing.HostileInputs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's event reader against generated hostile records (10,000 per run, seeded; more
 * with {@code -Dcredpipe.fuzz.inputs=N}): every record is read or refused with a reason, never an
 * exception that would reach the topology, and records that are not well-formed UTF-8 are refused.
 */
class AssessmentReaderFuzzTest {

    private static final int INPUTS = Integer.getInteger("credpipe.fuzz.inputs", 10_000);
    private static final long SEED = Long.getLong("credpipe.fuzz.seed", 20261205L);

    private final AssessmentReader reader = new AssessmentReader();

    @Test
    void everyHostileRecordIsReadOrRefusedNeverThrown() {
        HostileInputs inputs = new HostileInputs(SEED);
        int read = 0;
        int refused = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] value = i % 5 == 0 ? inputs.csvBody() : inputs.jsonBody();
            AssessmentReader.Result result;
            try {
                result = reader.read("acme:E1234", value);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ", input " + i + " threw: "
                        + new String(value, 0, Math.min(value.length, 300), StandardCharsets.UTF_8), e);
            }
            if (result instanceof AssessmentReader.Read) {
                read++;
            } else {
                assertThat(((Refusal) result).detail()).as("input %d", i).isNotBlank();
                refused++;
                if (Utf8.malformedAt(value) >= 0) {
                    assertThat(((Refusal) result).reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
                }
            }
            if (Utf8.malformedAt(value) >= 0) {
                assertThat(result).as("input %d is not UTF-8", i).isInstanceOf(Refusal.class);
            }
        }
        assertThat(read + refused).isEqualTo(INPUTS);
        assertThat(refused).as("most hostile inputs are refused").isGreaterThan(INPUTS / 2);
    }

    @Test
    void anOverlongSlashDoesNotAliasTheRealOne() {
        byte[] overlong = "{\"eventId\":\"ab\u00c0\u00afcd\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(reader.read("acme:E1", overlong)).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.detail()).contains("UTF-8"));
    }
}
