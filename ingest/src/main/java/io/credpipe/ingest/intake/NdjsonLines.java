package io.credpipe.ingest.intake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits an NDJSON body (one JSON text per line) into the lines {@link BatchIntake} takes. */
public final class NdjsonLines {

    private NdjsonLines() {}

    /**
     * The non-blank lines, numbered from 1, without their {@code \n} or {@code \r\n}: blank lines
     * (e.g. a trailing newline) carry no event and are skipped.
     *
     * @param body the request body
     * @return the lines, in order
     */
    public static List<BatchIntake.Line> split(byte[] body) {
        List<BatchIntake.Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                number++;
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!blank(body, start, end)) {
                    byte[] line = Arrays.copyOfRange(body, start, end);
                    lines.add(new BatchIntake.Line(number, line, line));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static boolean blank(byte[] body, int start, int end) {
        for (int i = start; i < end; i++) {
            if (body[i] != ' ' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
