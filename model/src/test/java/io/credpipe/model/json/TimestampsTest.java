package io.credpipe.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mapper's fast path for instants reads exactly what jackson-datatype-jsr310 reads, and fails where it fails. */
class TimestampsTest {

    private final ObjectMapper fast = Json.newMapper();
    private final ObjectMapper general = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private record Stamped(Instant at) {}

    @Test
    void fastAndGeneralReadersAgreeOnEveryCandidate() throws Exception {
        Random random = new Random(11);
        int read = 0;
        for (int n = 0; n < 50_000; n++) {
            String text;
            if (random.nextInt(3) == 0) {
                // What credpipe writes: Instant#toString, any precision.
                long seconds = random.nextLong(-62_167_219_200L, 253_402_300_799L);
                text = Instant.ofEpochSecond(seconds, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000)).toString();
            } else {
                StringBuilder candidate = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02d%s%02d:%02d:%02d",
                        random.nextInt(10000), random.nextInt(14), random.nextInt(33), random.nextInt(5) == 0 ? "t" : "T",
                        random.nextInt(26), random.nextInt(62), random.nextInt(62)));
                if (random.nextBoolean()) {
                    candidate.append('.').append(String.valueOf(random.nextLong() & Long.MAX_VALUE), 0, 1 + random.nextInt(10));
                }
                candidate.append(switch (random.nextInt(5)) {
                    case 0 -> "z";
                    case 1 -> "+02:00";
                    default -> "Z";
                });
                if (random.nextInt(4) == 0) {
                    candidate.setCharAt(random.nextInt(candidate.length()), "0:-T.+Zx9 ".charAt(random.nextInt(10)));
                }
                text = candidate.toString();
            }
            String json = "{\"at\":\"" + text + "\"}";
            String expected = outcome(general, json);
            assertThat(outcome(fast, json)).as(text).isEqualTo(expected);
            read += expected.startsWith("ok") ? 1 : 0;
        }
        assertThat(read).as("enough valid instants to compare").isGreaterThan(20_000);
    }

    @Test
    void theMapperReadsInstantsThroughTheFastPath() throws Exception {
        DeserializationContext context = ((DefaultDeserializationContext) fast.getDeserializationContext())
                .createInstance(fast.getDeserializationConfig(), null, null);

        assertThat(context.findRootValueDeserializer(fast.constructType(Instant.class)))
                .isInstanceOf(Timestamps.InstantReader.class);
    }

    @Test
    void numbersAndNullsStillGoToTheGeneralReader() throws Exception {
        for (String json : new String[] {"{\"at\":1779269400}", "{\"at\":1779269400.5}", "{\"at\":null}", "{\"at\":\"\"}",
                "{\"at\":\" 2026-05-20T09:30:00Z\"}", "{\"at\":[2026]}"}) {
            assertThat(outcome(fast, json)).as(json).isEqualTo(outcome(general, json));
        }
    }

    private static String outcome(ObjectMapper mapper, String json) {
        try {
            return "ok " + mapper.readValue(json, Stamped.class);
        } catch (Exception e) {
            return "fails " + e.getClass().getSimpleName();
        }
    }
}
