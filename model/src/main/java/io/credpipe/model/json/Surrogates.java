package io.credpipe.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds strings with an unpaired UTF-16 surrogate, which JSON can carry as an escape
 * ({@code "\ud800"}) but I-JSON forbids (RFC 7493 §2.1; RFC 8259 §8.2 calls them unpredictable).
 * Encoded as UTF-8 for a Kafka header or a state-store key, such a character becomes {@code ?}, so
 * two different event ids would become one; every stage refuses them instead.
 */
public final class Surrogates {

    private Surrogates() {}

    /**
     * The JSON Pointer (RFC 6901) of the first member name or string value in {@code root} that holds
     * an unpaired surrogate, or {@code null} when none does.
     */
    public static String firstUnpaired(JsonNode root) {
        return walk(root, "");
    }

    private static String walk(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return unpaired(node.textValue()) ? (pointer.isEmpty() ? "/" : pointer) : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (unpaired(field.getKey())) {
                    return child;
                }
                String found = walk(field.getValue(), child);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = walk(node.get(i), pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Whether {@code text} holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
    public static boolean unpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
