package io.credpipe.model.problem;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem detail: what every credpipe HTTP error returns, as
 * {@code application/problem+json}. {@code type} is a stable URI per kind of error, so clients
 * branch on it rather than on the wording.
 *
 * @param type the problem type URI, e.g. {@code https://credpipe.io/problems/invalid-event}
 * @param title a short summary that does not change between occurrences
 * @param status the HTTP status code
 * @param detail what went wrong this time, for people
 * @param errors field-level errors, each with a JSON Pointer; empty when not about fields
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** Where problem type URIs live; each resolves to a page describing the problem. */
    public static final String TYPE_BASE = "https://credpipe.io/problems/";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A problem of type {@code TYPE_BASE + slug}. */
    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, List.of());
    }

    /** This problem with field errors. */
    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, fieldErrors);
    }

    /**
     * One field that is wrong.
     *
     * @param pointer JSON Pointer (RFC 6901) into the request body, e.g. {@code /operator/id}
     * @param detail what is wrong with it
     */
    public record FieldError(String pointer, String detail) {}
}
