package io.credpipe.model.framework;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Identifies one version of one framework: {@code {soc}@{version}}, e.g. {@code 51-8091.00@v.26.05}.
 *
 * <p>A new framework version is a new framework id; credentials keep pointing at the version they
 * were issued against.
 *
 * @param soc the O*NET-SOC occupation code, e.g. {@code 51-8091.00}
 * @param version the framework version, e.g. {@code v.26.05}
 */
public record FrameworkId(String soc, String version) {

    /** O*NET-SOC codes: {@code NN-NNNN.NN}. */
    static final Pattern SOC = Pattern.compile("\\d{2}-\\d{4}\\.\\d{2}");
    /** Versions appear in URLs and statement ids, so they may not contain {@code @} or {@code /}. */
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public FrameworkId {
        Objects.requireNonNull(soc, "soc");
        Objects.requireNonNull(version, "version");
        if (!isSoc(soc)) {
            throw new IllegalArgumentException("not an O*NET-SOC code (NN-NNNN.NN): " + soc);
        }
        if (!isVersion(version)) {
            throw new IllegalArgumentException("not a framework version (letters, digits, . _ -): " + version);
        }
    }

    /**
     * Whether {@code text} matches {@link #SOC}. Checked by hand: ids are parsed several times per
     * evaluated event, and the regular expression showed in the evaluator's profile.
     */
    static boolean isSoc(String text) {
        if (text.length() != 10 || text.charAt(2) != '-' || text.charAt(7) != '.') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            char c = text.charAt(i);
            if (i != 2 && i != 7 && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} matches {@link #VERSION}, checked by hand like {@link #isSoc}. */
    static boolean isVersion(String text) {
        int length = text.length();
        if (length < 1 || length > 64 || !isLetterOrDigit(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /**
     * Parses {@code {soc}@{version}}.
     *
     * @return the id, or empty when {@code text} is not a well-formed framework id
     */
    public static Optional<FrameworkId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String soc = text.substring(0, at);
        String version = text.substring(at + 1);
        if (!isSoc(soc) || !isVersion(version)) {
            return Optional.empty();
        }
        return Optional.of(new FrameworkId(soc, version));
    }

    @JsonCreator
    static FrameworkId fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a framework id: " + text));
    }

    @JsonValue
    @Override
    public String toString() {
        return soc + "@" + version;
    }
}
