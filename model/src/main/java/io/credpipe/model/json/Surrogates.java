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
        String found = walk(root);
        return found == null ? null : found.isEmpty() ? "/" : found;
    }

    /**
     * The pointer below {@code node} to the first string with an unpaired surrogate ("" for
     * {@code node} itself), or null. The pointer is built on the way back up, only when one is
     * found: every event passes through here, and almost none holds one.
     */
    private static String walk(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return unpaired(node.textValue()) ? "" : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (unpaired(field.getKey())) {
                    return segment(field.getKey());
                }
                String found = walk(field.getValue());
                if (found != null) {
                    return segment(field.getKey()) + found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = walk(node.get(i));
                if (found != null) {
                    return "/" + i + found;
                }
            }
        }
        return null;
    }

    private static String segment(String name) {
        return "/" + name.replace("~", "~0").replace("/", "~1");
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
