package io.credpipe.evaluator.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The encoding under {@link LedgerSerdes}' layouts: varints, zig-zag seconds, presence bytes and
 * length-prefixed UTF-8 strings, after a format byte.
 */
final class LedgerBytes {

    private LedgerBytes() {}

    /** A growing byte buffer. */
    static final class Out {
        /** The format being written, the value's first byte. */
        final byte format;
        byte[] bytes = new byte[256];
        int size;

        Out(byte format) {
            this.format = format;
            bytes[size++] = format;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void varint(int value) {
            varlong(value & 0xFFFFFFFFL);
        }

        void varlong(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        void presence(boolean present) {
            ensure(1);
            bytes[size++] = (byte) (present ? 1 : 0);
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        void optionalString(String value) {
            presence(value != null);
            if (value != null) {
                string(value);
            }
        }

        void instant(Instant value) {
            long seconds = value.getEpochSecond();
            varlong((seconds << 1) ^ (seconds >> 63));
            varint(value.getNano());
        }

        void optionalInstant(Instant value) {
            presence(value != null);
            if (value != null) {
                instant(value);
            }
        }
    }

    /** Reads what {@link Out} wrote. */
    static final class In {
        private final byte[] bytes;
        /** The format byte the value starts with. */
        final byte format;
        int at = 1;

        In(byte[] bytes) {
            this.bytes = bytes;
            this.format = bytes[0];
        }

        int varint() {
            long value = varlong();
            if (value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("varint out of range at byte " + at);
            }
            return (int) value;
        }

        long varlong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long at byte " + at);
        }

        boolean present() {
            byte b = bytes[at++];
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("presence byte " + b + " at byte " + (at - 1));
            }
            return b == 1;
        }

        String string() {
            int length = varint();
            if (length < 0 || length > bytes.length - at) {
                throw new IllegalArgumentException("string of " + length + " bytes at byte " + at + " overruns the value");
            }
            String value = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        String optionalString() {
            return present() ? string() : null;
        }

        Instant instant() {
            long zigzag = varlong();
            long seconds = (zigzag >>> 1) ^ -(zigzag & 1);
            return Instant.ofEpochSecond(seconds, varint());
        }

        Instant optionalInstant() {
            return present() ? instant() : null;
        }
    }
}
