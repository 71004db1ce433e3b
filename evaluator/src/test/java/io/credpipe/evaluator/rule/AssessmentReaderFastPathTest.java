package io.credpipe.evaluator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Evidence;
import io.credpipe.model.event.Operator;
import io.credpipe.model.json.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reader's hand-written fast paths give exactly what the general ones give: the same canonical
 * bytes as Jackson (content hashes are stored, so they may never change) and the same instants as
 * the RFC 3339 pattern and {@code java.time}.
 */
class AssessmentReaderFastPathTest {

    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private final AssessmentReader reader = new AssessmentReader();

    private static String text(Random random, boolean nullable) {
        if (nullable && random.nextInt(3) == 0) {
            return null;
        }
        String alphabet = "abcXYZ09 :@./-_éü—€";
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (random.nextInt(20) == 0) {
            // Strings Jackson escapes, and a lone surrogate: the fast path must step aside for these.
            text.append(List.of("\"", "\\", "\n", "\u0001", "\ud83d", "😀").get(random.nextInt(6)));
        }
        return text.toString();
    }

    @Test
    void handWrittenCanonicalBytesAreJacksons() {
        Random random = new Random(3);
        int fast = 0;
        for (int n = 0; n < 20_000; n++) {
            Operator operator = new Operator(text(random, false), text(random, true), text(random, true));
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
            AssessmentEvent event;
            if (random.nextBoolean()) {
                List<Evidence> evidence = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    evidence.add(new Evidence(text(random, true), text(random, true), text(random, true)));
                }
                event = new AssessmentEvent(text(random, false), AssessmentEventType.RECORDED, at, text(random, false), operator,
                        text(random, false), random.nextBoolean() ? AssessmentResult.PASS : AssessmentResult.FAIL,
                        new Assessor(text(random, false), text(random, true)), text(random, true), evidence, null, null);
            } else {
                event = AssessmentEvent.retracted(text(random, false), at, text(random, false), operator, text(random, false),
                        text(random, true));
            }
            byte[] byHand = AssessmentReader.plainCanonical(event);
            if (byHand != null) {
                fast++;
                assertThat(new String(byHand, java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(new String(reader.jacksonCanonical(event), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(fast).as("most events take the fast path").isGreaterThan(10_000);
    }

    @Test
    void fastTimestampsAreThePatternsAndJavaTimes() {
        Random random = new Random(5);
        int parsed = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02d%s%02d:%02d:%02d", random.nextInt(10000),
                    random.nextInt(14), random.nextInt(33), random.nextBoolean() ? "T" : "t", random.nextInt(26), random.nextInt(62),
                    random.nextInt(62)));
            if (random.nextBoolean()) {
                text.append('.').append(String.valueOf(random.nextLong() & Long.MAX_VALUE), 0, 1 + random.nextInt(10));
            }
            text.append(switch (random.nextInt(4)) {
                case 0 -> "Z";
                case 1 -> "z";
                default -> String.format(Locale.ROOT, "%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
            });
            for (int i = random.nextInt(4) == 0 ? 1 : 0; i > 0; i--) {
                int at = random.nextInt(text.length());
                text.setCharAt(at, "0:-T.+Zx9".charAt(random.nextInt(9)));
            }
            String candidate = text.toString();
            Instant slow = null;
            if (RFC_3339.matcher(candidate).matches()) {
                try {
                    slow = OffsetDateTime.parse(candidate.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                } catch (DateTimeException e) {
                    slow = null;
                }
            }
            Instant fast = Timestamps.rfc3339OrNull(candidate);
            assertThat(fast).as(candidate).isEqualTo(slow);
            parsed += fast != null ? 1 : 0;
        }
        assertThat(parsed).as("enough valid date-times to compare").isGreaterThan(10_000);
    }
}
