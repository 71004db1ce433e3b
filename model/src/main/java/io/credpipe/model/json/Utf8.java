package io.credpipe.model.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629 §3: no overlong forms, no encoded surrogates, nothing above U+10FFFF).
 * A lenient decoder reads {@code ab\xC0\xAFcd} as {@code ab/cd}, so distinct bytes would become one
 * event id; ingest refuses such bodies and the evaluator such records.
 */
public final class Utf8 {

    private Utf8() {}

    /** The byte offset of the first invalid sequence in {@code bytes}, or -1 when they are well-formed UTF-8. */
    public static int malformedAt(byte[] bytes) {
        // Nearly every input is ASCII: skip the decoder (and its buffer) up to the first other byte.
        // UTF-8 is self-synchronising, so decoding from there judges the rest exactly as from the start.
        int start = 0;
        while (start < bytes.length && bytes[start] >= 0) {
            start++;
        }
        if (start == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }
}
