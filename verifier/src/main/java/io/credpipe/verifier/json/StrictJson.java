package io.credpipe.verifier.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the verifier reads JSON it did not write: JWS headers, JWT payloads, status lists and plain
 * credentials. JSON with duplicate member names is ambiguous (which value did the issuer mean?), so
 * it is refused rather than resolved the way one parser happens to (RFC 8259 §4, RFC 7515 §4).
 */
public final class StrictJson {

    /** Refuses duplicate member names and trailing tokens. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /**
     * Parses JSON strictly.
     *
     * @param json the bytes
     * @return the tree, possibly {@code null} for empty input
     * @throws IOException if it is not JSON, or has duplicate names or trailing tokens
     */
    public static JsonNode read(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    /**
     * The text of a string, or of a language map's first entry (the 1EdTech schema lets names be
     * maps of language to text); {@code null} otherwise.
     *
     * @param node a node or {@code null}
     * @return the text or {@code null}
     */
    public static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getValue().isTextual()) {
                    return field.getValue().asText();
                }
            }
        }
        return null;
    }

    /**
     * The text of a JSON string, and nothing else.
     *
     * @param node a node or {@code null}
     * @return its text if it is a string, else {@code null}
     */
    public static String string(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /**
     * A JSON-LD set of strings: one string or an array of them; non-strings are left out.
     *
     * @param node a node or {@code null}
     * @return the strings, never {@code null}
     */
    public static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : items(node)) {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        }
        return values;
    }

    /**
     * A JSON-LD set of objects or strings: one value or an array of them.
     *
     * @param node a node or {@code null}
     * @return the values, never {@code null}
     */
    public static List<JsonNode> items(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        return values;
    }

    /**
     * The first line of a parser message: Jackson appends source locations on further lines.
     *
     * @param message a message or {@code null}
     * @return its first line, {@code ""} for {@code null}
     */
    public static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
