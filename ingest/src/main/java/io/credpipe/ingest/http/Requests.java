package io.credpipe.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.json.Json;
import io.credpipe.model.json.Utf8;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** What every ingest route reads from a request (caller, media type, body) and the problems they share. */
final class Requests {

    private static final ObjectMapper JSON = Json.newMapper();

    private Requests() {}

    /**
     * The caller named by the request's bearer token (RFC 6750 §2.1). No token, or one that is not
     * a known key, is 401 with the challenge RFC 6750 §3 asks for; the key itself is never logged.
     */
    static Caller caller(Context ctx, Authenticator authenticator) {
        return authenticator.caller(ctx.header("Authorization"),
                "an API key (create one with credpipe sources create NAME)");
    }

    /** 403 unless the caller holds an admin key. */
    static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ProblemException(Problem.of("forbidden", "Forbidden", 403,
                    "this needs an admin key; the key of source " + caller.source() + " is not one"));
        }
    }

    /**
     * The media type without parameters, lower-case, or {@code null} when the charset parameter
     * names anything but UTF-8: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1).
     */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return null;
                }
            }
        }
        return parts[0].strip().toLowerCase(Locale.ROOT);
    }

    /** The body, or 413 when it is larger than {@code max} (checked before reading when the length is declared). */
    static byte[] body(Context ctx, long max) {
        if (ctx.contentLength() > max) {
            throw tooLarge(max);
        }
        try {
            byte[] body = ctx.bodyInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                throw tooLarge(max);
            }
            if (ctx.contentLength() > body.length) {
                throw incomplete(ctx.contentLength());
            }
            requireUtf8(body);
            return body;
        } catch (IOException e) {
            // The server reports a connection that ends before the declared length as an I/O error
            // (Jetty's EofException): the client sent too little, which is its error to fix, not ours.
            throw incomplete(ctx.contentLength());
        }
    }

    /**
     * 400 unless {@code body} is well-formed UTF-8 (RFC 3629 §3: no overlong forms, no encoded
     * surrogates, nothing above U+10FFFF). A lenient decoder reads {@code ab\xC0\xAFcd} as
     * {@code ab/cd}, so distinct bytes would become one event id and be answered "duplicate".
     * Every body ingest takes is UTF-8 text: JSON (RFC 8259 §8.1), NDJSON and CSV alike.
     */
    static void requireUtf8(byte[] body) {
        int malformedAt = Utf8.malformedAt(body);
        if (malformedAt >= 0) {
            throw new ProblemException(Problem.of("malformed-utf8", "Malformed UTF-8", 400,
                    "the body is not well-formed UTF-8 (RFC 3629): invalid byte sequence at byte offset " + malformedAt));
        }
    }

    private static ProblemException incomplete(long declared) {
        return new ProblemException(Problem.of("incomplete-body", "Incomplete body", 400,
                "the body ended before the " + declared + " bytes its Content-Length declares; send the whole body"));
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(Problem.of("body-too-large", "Body too large", 413,
                "request bodies are limited to " + max + " bytes; split the batch"));
    }

    /** 503 with {@code Retry-After}: Kafka is not there yet, or did not acknowledge in time. */
    static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("kafka-unavailable", "Kafka unavailable", 503, detail),
                Map.of("Retry-After", String.valueOf(IngestApi.RETRY_AFTER_SECONDS)));
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records always serialise", e);
        }
    }
}
