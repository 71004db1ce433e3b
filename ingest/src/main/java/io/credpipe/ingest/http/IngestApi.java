package io.credpipe.ingest.http;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The ingest API's paths and media types, and the documents that describe it. */
public final class IngestApi {

    /** Where HR systems post events. */
    public static final String ASSESSMENTS_PATH = "/v1/assessments";

    /** Where HR systems post CSV files (a custom method in the AIP-136 style, hence the colon). */
    public static final String IMPORT_PATH = "/v1/assessments:import";

    /** Where framework admins publish frameworks, and anyone reads them. */
    public static final String FRAMEWORKS_PATH = "/v1/frameworks";

    /** Where a batch's receipt is read: {@code /v1/batches/{id}}. */
    public static final String BATCHES_PATH = "/v1/batches";

    /** Where each stage's lag is read. */
    public static final String PIPELINE_PATH = "/v1/pipeline";

    /** Where the OpenAPI 3.1 document of this API is served. */
    public static final String OPENAPI_PATH = "/openapi.json";

    /** Where the event schema is served. */
    public static final String SCHEMA_PATH = "/v1/schemas/assessment-event.json";

    /** Seconds a client is asked to wait before retrying after a {@code 503}. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** NDJSON, one JSON text per line (the de-facto registration used by HR tools and {@code credpipe publish}). */
    public static final String NDJSON = "application/x-ndjson";

    /** The JSON Schema media type (JSON Schema draft 2020-12 core, §14). */
    public static final String SCHEMA_MEDIA_TYPE = "application/schema+json";

    private IngestApi() {}

    /**
     * The bundled OpenAPI document, hand-written: it says what each route means, which no generator can.
     *
     * @return the document's bytes (UTF-8 JSON)
     */
    public static byte[] openApi() {
        try (var in = IngestApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
