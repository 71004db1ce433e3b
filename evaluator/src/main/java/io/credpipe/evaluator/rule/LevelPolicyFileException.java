package io.credpipe.evaluator.rule;

import java.util.Objects;

/**
 * A level-policy file that cannot be used: which file, which field (a JSON Pointer, RFC 6901; empty
 * for the whole document) and why. The message reads {@code file: pointer: reason}.
 */
public final class LevelPolicyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String pointer;
    private final String reason;

    public LevelPolicyFileException(String file, String pointer, String reason, Throwable cause) {
        super(file + ": " + (pointer.isEmpty() ? "" : pointer + ": ") + reason, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.pointer = Objects.requireNonNull(pointer, "pointer");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The file, as named to the loader. */
    public String file() {
        return file;
    }

    /** The JSON Pointer of the offending field; empty when the document as a whole is at fault. */
    public String pointer() {
        return pointer;
    }

    /** What is wrong, in words. */
    public String reason() {
        return reason;
    }
}
