package io.credpipe.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps as credpipe's records carry them: RFC 3339 date-times, read on a fast path where the
 * text has the common shape, and by {@code java.time} otherwise.
 */
public final class Timestamps {

    private Timestamps() {}

    /**
     * {@code text} as an instant when it is an RFC 3339 {@code date-time} (§5.6) with a four-digit
     * year — {@code T} and {@code Z} in either case, fraction of 1 to 9 digits, {@code Z} or a
     * {@code ±hh:mm} offset — naming a valid date-time; else {@code null}, and the caller takes its
     * general path, which can word the error. Parsed by hand: the regular expression and the
     * {@code java.time} formatter showed in the evaluator's and the issuer's profiles.
     */
    public static Instant rfc3339OrNull(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != 'T' && text.charAt(10) != 't')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            int count = at - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(text, start, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && (text.charAt(at) == 'Z' || text.charAt(at) == 'z')) {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            if ((offsetHours | offsetMinutes) < 0) {
                return null;
            }
            int sign = text.charAt(at) == '-' ? -1 : 1;
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
            // Out of ZoneOffset's range or minutes past 59: let the slow path word the error.
            if (offsetMinutes > 59 || offsetHours > 18 || (offsetHours == 18 && offsetMinutes > 0)) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The non-negative number {@code count} ASCII digits at {@code from} spell, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Reads {@link Instant}s as the deserializer it wraps ({@code jackson-datatype-jsr310}'s, as the
     * mapper configured it) does, taking {@link #rfc3339OrNull} first for the form
     * {@link Instant#toString()} writes ({@code T} and {@code Z} upper case, no offset): records
     * carry a dozen or more timestamps each, and the general parser was 3 % of the issuer's stream
     * thread. Any other text or token goes to the wrapped deserializer, errors included.
     */
    static final class InstantReader extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        InstantReader(JsonDeserializer<?> general) {
            super(general);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> general) {
            return new InstantReader(general);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                String text = parser.getText();
                int length = text.length();
                if (length >= 20 && text.charAt(10) == 'T' && text.charAt(length - 1) == 'Z') {
                    Instant fast = rfc3339OrNull(text);
                    if (fast != null) {
                        return fast;
                    }
                }
            }
            return _delegatee.deserialize(parser, context);
        }
    }

    /** Wraps the mapper's own {@link Instant} deserializer in an {@link InstantReader}. */
    static final class InstantReaders extends BeanDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                JsonDeserializer<?> deserializer) {
            return description.getBeanClass() == Instant.class ? new InstantReader(deserializer) : deserializer;
        }
    }
}
