package io.credpipe.evaluator.rule;

import java.util.Arrays;

/**
 * Compact JSON written straight to UTF-8 bytes, for {@link AssessmentReader#plainCanonical}: strings
 * are checked as they are copied, and any Jackson would escape makes {@link #member} answer false.
 */
final class CanonicalJsonBytes {

    private byte[] bytes = new byte[384];
    private int size;
    /** Whether the innermost open container has no member yet; containers nest at most three deep. */
    private final boolean[] empty = new boolean[8];
    private int depth = -1;

    CanonicalJsonBytes open(char bracket) {
        put((byte) bracket);
        empty[++depth] = true;
        return this;
    }

    CanonicalJsonBytes close(char bracket) {
        depth--;
        put((byte) bracket);
        return this;
    }

    /** Starts an array element. */
    CanonicalJsonBytes element() {
        if (!empty[depth]) {
            put((byte) ',');
        }
        empty[depth] = false;
        return this;
    }

    /** Starts a member: {@code "name":}; names are ASCII constants. */
    CanonicalJsonBytes name(String name) {
        element();
        put((byte) '"');
        for (int i = 0; i < name.length(); i++) {
            put((byte) name.charAt(i));
        }
        put((byte) '"');
        put((byte) ':');
        return this;
    }

    /** Appends {@code "name":"value"} unless value is null; false when the value is not plain. */
    boolean member(String name, String value) {
        if (value == null) {
            return true;
        }
        name(name);
        put((byte) '"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\') {
                    return false;
                }
                put((byte) c);
            } else if (Character.isSurrogate(c)) {
                return false;
            } else if (c < 0x800) {
                put((byte) (0xC0 | (c >> 6)));
                put((byte) (0x80 | (c & 0x3F)));
            } else {
                put((byte) (0xE0 | (c >> 12)));
                put((byte) (0x80 | ((c >> 6) & 0x3F)));
                put((byte) (0x80 | (c & 0x3F)));
            }
        }
        put((byte) '"');
        return true;
    }

    private void put(byte b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = b;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
