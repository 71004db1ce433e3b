package io.credpipe.model.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written id checks accept exactly what the documented patterns accept. */
class IdentifierParsingTest {

    private static final String ALPHABET = "0123456789-./@_aZzé /";

    /** Statement-id-like strings: real ids, mutated a few characters at a time, and random ones. */
    private static String candidate(Random random) {
        if (random.nextInt(4) == 0) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            return text.toString();
        }
        StringBuilder text = new StringBuilder("51-8091.00@v.26.05/" + Level.values()[random.nextInt(4)].id() + "/"
                + random.nextInt(12000));
        for (int i = random.nextInt(3); i > 0; i--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> text.deleteCharAt(at);
                default -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return text.toString();
    }

    /** The parse as first written, with regular expressions. */
    private static Optional<StatementId> byPattern(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !parts[2].matches("[1-9][0-9]{0,3}")) {
            return Optional.empty();
        }
        int at = parts[0].indexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String soc = parts[0].substring(0, at);
        String version = parts[0].substring(at + 1);
        Optional<Level> level = Level.fromId(parts[1]);
        if (!FrameworkId.SOC.matcher(soc).matches() || !FrameworkId.VERSION.matcher(version).matches() || level.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StatementId(new FrameworkId(soc, version), level.get(), Integer.parseInt(parts[2])));
    }

    @Test
    void statementIdsParseAsThePatternsSay() {
        Random random = new Random(7);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            String text = candidate(random);
            Optional<StatementId> parsed = StatementId.parse(text);
            assertThat(parsed).as(text).isEqualTo(byPattern(text));
            accepted += parsed.isPresent() ? 1 : 0;
        }
        assertThat(accepted).as("enough well-formed ids to compare").isGreaterThan(10_000);
    }

    @Test
    void socCodesAndVersionsAreCheckedAsThePatternsSay() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            String text = candidate(random);
            String soc = text.length() > 10 && random.nextBoolean() ? text.substring(0, 10) : text;
            assertThat(FrameworkId.isSoc(soc)).as(soc).isEqualTo(FrameworkId.SOC.matcher(soc).matches());
            String version = text.length() > 11 && random.nextBoolean() ? text.substring(11) : text;
            assertThat(FrameworkId.isVersion(version)).as(version).isEqualTo(FrameworkId.VERSION.matcher(version).matches());
        }
        assertThat(FrameworkId.isVersion("v".repeat(64))).isTrue();
        assertThat(FrameworkId.isVersion("v".repeat(65))).isFalse();
        assertThat(FrameworkId.isSoc("51-8091.00")).isTrue();
        assertThat(FrameworkId.isSoc("51-8091.0٣")).as("only ASCII digits, as \\d").isFalse();
    }
}
