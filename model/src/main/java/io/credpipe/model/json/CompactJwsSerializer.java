package io.credpipe.model.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a JWS in compact serialization as a JSON string by copying its bytes: such a string is
 * base64url and '.' only (RFC 7515 §7.1), none of which JSON escapes (RFC 8259 §7), and a
 * credential's is ~20 KB, which Jackson's general string writer inspects character by character.
 * Any other string gets the general writer, as does any generator but the byte-oriented JSON one
 * (a writer-based generator refuses raw UTF-8).
 */
public final class CompactJwsSerializer extends StdSerializer<String> {

    private static final long serialVersionUID = 1L;
    private static final boolean[] COMPACT_JWS = new boolean[256];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".toCharArray()) {
            COMPACT_JWS[c] = true;
        }
    }

    public CompactJwsSerializer() {
        super(String.class);
    }

    @Override
    public void serialize(String value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        // Characters above U+00FF become '?' here and fail the check below.
        byte[] ascii = value.getBytes(StandardCharsets.ISO_8859_1);
        if (generator instanceof UTF8JsonGenerator && isCompactJws(ascii)) {
            generator.writeRawUTF8String(ascii, 0, ascii.length);
        } else {
            generator.writeString(value);
        }
    }

    private static boolean isCompactJws(byte[] ascii) {
        for (byte b : ascii) {
            if (!COMPACT_JWS[b & 0xff]) {
                return false;
            }
        }
        return true;
    }
}
