package io.credpipe.model.framework;

/**
 * A framework file that cannot be read: names the file, the field (as a JSON Pointer, RFC 6901)
 * and what is wrong with it, in words a framework admin can act on.
 */
public final class FrameworkFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;
    private final String reason;

    /**
     * @param source the file name or other origin of the framework
     * @param field the JSON Pointer of the offending field ({@code ""} for the whole document)
     * @param reason what is wrong, e.g. {@code must be a non-empty string}
     */
    public FrameworkFormatException(String source, String field, String reason) {
        super(source + ": " + (field.isEmpty() ? "document" : field) + ": " + reason);
        this.source = source;
        this.field = field;
        this.reason = reason;
    }

    /** The file name or other origin of the framework. */
    public String source() {
        return source;
    }

    /** The JSON Pointer of the offending field; {@code ""} for the whole document. */
    public String field() {
        return field;
    }

    /** What is wrong with the field. */
    public String reason() {
        return reason;
    }
}
