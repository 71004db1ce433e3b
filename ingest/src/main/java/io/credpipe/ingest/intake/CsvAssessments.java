package io.credpipe.ingest.intake;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.credpipe.model.problem.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads assessment events from CSV (RFC 4180, UTF-8) with a header row, one event per row, and
 * turns each row into the JSON event the schema validates, so that CSV and JSON are held to the
 * same rules.
 *
 * <p>Columns (empty cells are absent fields): {@code eventId}, {@code type}, {@code occurredAt},
 * {@code source}, {@code operatorId} ({@code /operator/id}), {@code operatorName},
 * {@code operatorEmail}, {@code statementId}, {@code result}, {@code assessorId}
 * ({@code /assessor/id}), {@code assessorName}, {@code method}, {@code evidenceId},
 * {@code evidenceName}, {@code evidenceNarrative} (one item of {@code /evidence}),
 * {@code retracts}, {@code reason}. A column mapping renames a file's own headers to these.
 * An unknown column is refused rather than ignored: it is usually a misspelt one.
 */
public final class CsvAssessments {

    /** Each column and the JSON Pointer of the field it fills. */
    static final Map<String, String> COLUMNS;

    static {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String top : List.of("eventId", "type", "occurredAt", "source")) {
            columns.put(top, "/" + top);
        }
        columns.put("operatorId", "/operator/id");
        columns.put("operatorName", "/operator/name");
        columns.put("operatorEmail", "/operator/email");
        columns.put("statementId", "/statementId");
        columns.put("result", "/result");
        columns.put("assessorId", "/assessor/id");
        columns.put("assessorName", "/assessor/name");
        columns.put("method", "/method");
        columns.put("evidenceId", "/evidence/0/id");
        columns.put("evidenceName", "/evidence/0/name");
        columns.put("evidenceNarrative", "/evidence/0/narrative");
        columns.put("retracts", "/retracts");
        columns.put("reason", "/reason");
        COLUMNS = Map.copyOf(columns);
    }

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            // Quote a cell only when RFC 4180 requires it, so a rejected row reads as it was sent.
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CsvAssessments() {}

    /** The CSV is unusable as a whole (no header, unknown columns, broken quoting). */
    public static final class CsvFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvFormatException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses a column mapping {@code column:header,column:header}: each documented column read from
     * the file's header of that name.
     *
     * @throws CsvFormatException if an entry is malformed or names an unknown column
     */
    public static Map<String, String> mapping(List<String> entries) throws CsvFormatException {
        Map<String, String> byHeader = new HashMap<>();
        for (String list : entries) {
            for (String entry : list.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.split(":", 2);
                if (parts.length != 2 || !COLUMNS.containsKey(parts[0].strip()) || parts[1].isBlank()) {
                    throw new CsvFormatException("a column mapping entry is column:header with a column of " + new TreeSet<>(COLUMNS.keySet())
                            + "; got " + entry);
                }
                byHeader.put(parts[1].strip(), parts[0].strip());
            }
        }
        return byHeader;
    }

    /**
     * The rows as lines for {@link BatchIntake}: numbered by the file line they start on (the
     * header is line 1); the original kept for a rejection is the row as CSV.
     *
     * @param csv      the file
     * @param mapping  file header → documented column, for headers that differ
     * @param maxRows  the most rows accepted
     * @throws CsvFormatException if the header or quoting is unusable
     * @throws TooManyRows        if there are more than {@code maxRows} rows
     */
    public static List<BatchIntake.Line> lines(byte[] csv, Map<String, String> mapping, int maxRows) throws CsvFormatException, TooManyRows {
        List<BatchIntake.Line> lines = new ArrayList<>();
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(csv)) {
            if (!rows.hasNextValue()) {
                throw new CsvFormatException("the file is empty; the first row must name the columns");
            }
            String[] header = rows.nextValue();
            String[] columns = new String[header.length];
            Set<String> unknown = new TreeSet<>();
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < header.length; i++) {
                String name = header[i].strip();
                if (i == 0 && name.startsWith("\uFEFF")) {
                    name = name.substring(1);
                }
                String column = mapping.getOrDefault(name, name);
                if (!COLUMNS.containsKey(column)) {
                    unknown.add(name);
                } else if (!seen.add(column)) {
                    throw new CsvFormatException("column " + column + " appears twice in the header");
                }
                columns[i] = column;
            }
            if (!unknown.isEmpty()) {
                throw new CsvFormatException("unknown columns " + unknown + "; the columns are " + COLUMNS.keySet()
                        + " (map other names with map=column:header)");
            }
            while (true) {
                long lineNumber = rows.getParser().currentLocation().getLineNr();
                if (!rows.hasNextValue()) {
                    break;
                }
                String[] cells = rows.nextValue();
                if (cells.length == 1 && cells[0].isBlank()) {
                    continue;
                }
                if (lines.size() == maxRows) {
                    throw new TooManyRows();
                }
                if (cells.length > columns.length) {
                    cells = Arrays.copyOf(cells, columns.length);
                }
                byte[] original = CSV.writerFor(String[].class).with(CsvSchema.emptySchema().withLineSeparator(""))
                        .writeValueAsBytes(cells);
                lines.add(new BatchIntake.Line((int) lineNumber, JSON.writeValueAsBytes(event(columns, cells)), original));
            }
        } catch (IOException e) {
            throw new CsvFormatException("not readable as CSV: " + e.getMessage());
        }
        return lines;
    }

    /** The JSON event of one row: every non-empty cell placed at its column's pointer. */
    static ObjectNode event(String[] columns, String[] cells) {
        ObjectNode event = JSON.createObjectNode();
        for (int i = 0; i < cells.length && i < columns.length; i++) {
            String value = cells[i];
            if (value == null || value.isEmpty()) {
                continue;
            }
            String[] path = COLUMNS.get(columns[i]).substring(1).split("/");
            ObjectNode parent = event;
            for (int p = 0; p < path.length - 1; p++) {
                if (path[p].equals("evidence")) {
                    var array = parent.has("evidence") ? (com.fasterxml.jackson.databind.node.ArrayNode) parent.get("evidence") : parent.putArray("evidence");
                    parent = array.isEmpty() ? array.addObject() : (ObjectNode) array.get(0);
                    p++;
                } else {
                    parent = parent.has(path[p]) ? (ObjectNode) parent.get(path[p]) : parent.putObject(path[p]);
                }
            }
            parent.put(path[path.length - 1], value);
        }
        return event;
    }

    /**
     * A field error's detail with the CSV column it came from, e.g. {@code column operatorId}.
     */
    public static Problem.FieldError withColumn(Problem.FieldError error) {
        for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
            if (column.getValue().equals(error.pointer())) {
                return new Problem.FieldError(error.pointer(), "column " + column.getKey() + ": " + error.detail());
            }
        }
        return error;
    }

    /** More rows than one request may carry. */
    public static final class TooManyRows extends Exception {
        private static final long serialVersionUID = 1L;

        TooManyRows() {
            super(null, null, false, false);
        }
    }
}
