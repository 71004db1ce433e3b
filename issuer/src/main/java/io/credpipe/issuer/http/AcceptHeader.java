package io.credpipe.issuer.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP {@code Accept} header (RFC 9110 §12.5.1) reduced to what content negotiation here needs:
 * the quality of each media range it names.
 */
final class AcceptHeader {

    private final Map<String, Double> qualities;

    private AcceptHeader(Map<String, Double> qualities) {
        this.qualities = qualities;
    }

    /** Parses a header; {@code null} or blank names nothing. A malformed {@code q} counts as 0. */
    static AcceptHeader parse(String header) {
        Map<String, Double> qualities = new HashMap<>();
        if (header != null) {
            for (String range : header.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].strip().toLowerCase(Locale.ROOT);
                if (type.isEmpty()) {
                    continue;
                }
                double quality = 1;
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].strip();
                    if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                        try {
                            quality = Double.parseDouble(parameter.substring(2).strip());
                        } catch (NumberFormatException e) {
                            quality = 0;
                        }
                    }
                }
                qualities.merge(type, quality, Math::max);
            }
        }
        return new AcceptHeader(qualities);
    }

    /**
     * Whether {@code wanted} is asked for explicitly (positive quality), above {@code fallback}, and at
     * least as high as the wildcards that would also match it, so that naming it beside a wildcard
     * counts. Without that, the server's default ({@code fallback}) is what the client gets.
     */
    boolean prefers(String wanted, String fallback) {
        double quality = quality(wanted);
        String major = wanted.substring(0, wanted.indexOf('/'));
        double wildcard = Math.max(quality("*/*"), quality(major + "/*"));
        return quality > 0 && quality > quality(fallback) && quality >= wildcard;
    }

    /** The quality this header gives {@code type} by name (0 when it is not named). */
    double quality(String type) {
        return qualities.getOrDefault(type, 0.0);
    }
}
