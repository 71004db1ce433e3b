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
        if (!SOC.matcher(soc).matches()) {
            throw new IllegalArgumentException("not an O*NET-SOC code (NN-NNNN.NN): " + soc);
        }
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a framework version (letters, digits, . _ -): " + version);
        }
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
        if (!SOC.matcher(soc).matches() || !VERSION.matcher(version).matches()) {
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
