package io.credpipe.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded generator of hostile inputs for the fuzz tests: malformed, truncated and mutated JSON,
 * wrong types in every field, huge and odd numbers, deep nesting, odd and broken Unicode
 * (overlong UTF-8, lone surrogates, NUL, bidi controls, combining marks), NDJSON and CSV bodies.
 * The same seed gives the same inputs, so a failure names its seed and input number and replays
 * exactly; no property-based library is needed for that (jqwik's shrinking would not earn its
 * dependency here, where an input is small enough to read).
 */
public final class HostileInputs {

    /** A valid event of the design's example, the starting point of the mutations. */
    public static final String VALID_EVENT = "{\"eventId\":\"hr1-000042\",\"type\":\"assessment.recorded\","
            + "\"occurredAt\":\"2026-05-20T09:30:00Z\",\"source\":\"hr1\",\"operator\":{\"id\":\"acme:E1234\","
            + "\"name\":\"Dana Ruiz\",\"email\":\"dana@example.com\"},\"statementId\":\"51-8091.00@v.26.05/emerging/1\","
            + "\"result\":\"pass\",\"assessor\":{\"id\":\"acme:S77\"},\"method\":\"observation\"}";

    private static final String[] FIELDS = {"eventId", "type", "occurredAt", "source", "operator", "statementId", "result",
        "assessor", "method", "evidence", "retracts", "reason"};

    private static final String[] ODD_STRINGS = {
        "", " ", "\\u0000", "\\ud800", "\\udfff\\ud800", "\\u202e\\u202d", "e\\u0301\\u0301\\u0301", "\\ufeff", "\\uffff",
        "😀👩‍👩‍👧", "\\\\", "\\\"", "a\\nb\\r\\tc", "%00", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x}",
        "' OR 1=1 --", "null", "true", "1e309", "-0", "NaN", "Ｈｒ１", "hr1\\u0000", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"};

    private static final String[] ODD_NUMBERS = {"0", "-0", "1e309", "-1e309", "1e-400", "123456789012345678901234567890123",
        "9223372036854775808", "-9223372036854775809", "0.1e1", "1E+2", "00", "01", "1.", ".5", "+1", "0x10", "Infinity", "NaN"};

    private static final String[] CSV_HEADERS = {"eventId", "type", "occurredAt", "source", "operatorId", "operatorName",
        "operatorEmail", "statementId", "result", "assessorId"};

    private final Random random;

    /** @param seed the seed; tests print it */
    public HostileInputs(long seed) {
        this.random = new Random(seed);
    }

    /** One hostile JSON body (one event), as bytes. */
    public byte[] jsonBody() {
        return switch (random.nextInt(10)) {
            case 0 -> mutateBytes(VALID_EVENT.getBytes(StandardCharsets.UTF_8));
            case 1 -> truncate(VALID_EVENT.getBytes(StandardCharsets.UTF_8));
            case 2 -> utf8(withField(pick(FIELDS), wrongType()));
            case 3 -> utf8(withField(pick(FIELDS), "\"" + pick(ODD_STRINGS) + "\""));
            case 4 -> utf8(withField(pick(FIELDS), pick(ODD_NUMBERS)));
            case 5 -> utf8(nested(1 + random.nextInt(random.nextBoolean() ? 64 : 5000)));
            case 6 -> brokenUtf8(VALID_EVENT);
            case 7 -> utf8(withField("operator", "{\"id\":\"" + pick(ODD_STRINGS) + "\",\"name\":" + wrongType() + "}"));
            case 8 -> utf8(randomJsonish());
            default -> utf8(withField(pick(FIELDS), "\"" + "x".repeat(random.nextInt(5000)) + "\""));
        };
    }

    /** An NDJSON body of 1 to 20 hostile lines, some valid-looking. */
    public byte[] ndjsonBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 1 + random.nextInt(20);
        for (int i = 0; i < lines; i++) {
            out.writeBytes(jsonBody());
            out.writeBytes(random.nextInt(4) == 0 ? "\r\n".getBytes(StandardCharsets.US_ASCII) : "\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** How many inputs an NDJSON body holds: its lines. */
    public static int lines(byte[] body) {
        int n = 0;
        for (byte b : body) {
            if (b == '\n') {
                n++;
            }
        }
        return Math.max(1, n);
    }

    /** A hostile CSV body: odd quoting, ragged rows, embedded newlines, broken encodings. */
    public byte[] csvBody() {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of(CSV_HEADERS));
        if (random.nextInt(5) == 0) {
            header.set(random.nextInt(header.size()), pick(ODD_STRINGS));
        }
        csv.append(String.join(",", header)).append(random.nextBoolean() ? "\r\n" : "\n");
        int rows = 1 + random.nextInt(10);
        for (int r = 0; r < rows; r++) {
            int cells = header.size() + random.nextInt(3) - 1;
            List<String> row = new ArrayList<>();
            for (int c = 0; c < cells; c++) {
                row.add(switch (random.nextInt(8)) {
                    case 0 -> "\"" + pick(ODD_STRINGS) + "\"";
                    case 1 -> "\"unterminated";
                    case 2 -> "\"a\"\"b\nc\"";
                    case 3 -> pick(ODD_NUMBERS);
                    case 4 -> "x".repeat(random.nextInt(3000));
                    default -> c < 10 ? plausibleCell(c) : "";
                });
            }
            csv.append(String.join(",", row)).append('\n');
        }
        byte[] bytes = utf8(csv.toString());
        return random.nextInt(6) == 0 ? mutateBytes(bytes) : bytes;
    }

    private String plausibleCell(int column) {
        return switch (column) {
            case 0 -> "fz-" + random.nextInt(1_000_000);
            case 1 -> "assessment.recorded";
            case 2 -> "2026-05-20T09:30:00Z";
            case 3 -> "hr1";
            case 4 -> "acme:F" + random.nextInt(100);
            case 7 -> "51-8091.00@v.26.05/emerging/" + (1 + random.nextInt(12));
            case 8 -> random.nextBoolean() ? "pass" : "fail";
            case 9 -> "acme:S1";
            default -> "";
        };
    }

    private String withField(String field, String rawValue) {
        String json = VALID_EVENT;
        int at = json.indexOf("\"" + field + "\":");
        if (at < 0) {
            return json.substring(0, json.length() - 1) + ",\"" + field + "\":" + rawValue + "}";
        }
        int valueStart = at + field.length() + 3;
        int valueEnd = endOfValue(json, valueStart);
        return json.substring(0, valueStart) + rawValue + json.substring(valueEnd);
    }

    private static int endOfValue(String json, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
    }

    private String wrongType() {
        return switch (random.nextInt(7)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> pick(ODD_NUMBERS);
            case 3 -> "[]";
            case 4 -> "{}";
            case 5 -> "[\"" + pick(ODD_STRINGS) + "\", 1, null]";
            default -> "{\"" + pick(ODD_STRINGS) + "\": " + pick(ODD_NUMBERS) + "}";
        };
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return withField(pick(FIELDS), open.repeat(depth) + "1" + close.repeat(depth));
    }

    private String randomJsonish() {
        String alphabet = "{}[]\",:0123456789.eE+-truefalsenul \\/\t\n";
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(200);
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private byte[] brokenUtf8(String json) {
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] original = json.getBytes(StandardCharsets.UTF_8);
        int at = 1 + random.nextInt(original.length - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(original, 0, at);
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.write(original, at, original.length - at);
        return out.toByteArray();
    }

    private byte[] mutateBytes(byte[] original) {
        byte[] copy = original.clone();
        int mutations = 1 + random.nextInt(8);
        for (int i = 0; i < mutations && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private byte[] truncate(byte[] original) {
        return java.util.Arrays.copyOf(original, random.nextInt(original.length));
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Applies {@code body} to {@code count} generated inputs of each kind; for tests that need their own mix. */
    public <T> List<T> take(int count, Function<HostileInputs, T> body) {
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(body.apply(this));
        }
        return out;
    }
}
