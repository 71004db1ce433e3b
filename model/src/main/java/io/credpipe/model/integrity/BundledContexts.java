package io.credpipe.model.integrity;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.loader.DocumentLoader;
import com.apicatalog.jsonld.loader.DocumentLoaderOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON-LD document loader that serves the contexts bundled with credpipe, by their published
 * URL, and fails on every other URL: processing a credential never fetches anything, so neither an
 * outage nor whoever answers for a context's host can change what a signature covers.
 *
 * <p>The bundled contexts are VC v2, Open Badges 3.0.3, the OB extensions, CLR 2.0.1 and Data
 * Integrity v1, and for holders' DID Authentications VC 1.1 and the Ed25519Signature2020 suite's
 * (see {@code contexts/SOURCES.md}). Parsed documents are immutable and kept, so each
 * context is read once per instance.
 */
public final class BundledContexts implements DocumentLoader {

    /** W3C Verifiable Credentials Data Model v2.0 context. */
    public static final String VC_V2 = "https://www.w3.org/ns/credentials/v2";
    /** Open Badges 3.0.3 context. */
    public static final String OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    /** Open Badges 3.0 extensions context. */
    public static final String OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
    /** CLR 2.0.1 context. */
    public static final String CLR_V2P0 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
    /** Data Integrity v1 context, for VC 1.1-era documents. */
    public static final String DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1";

    /** W3C Verifiable Credentials Data Model 1.1 context: holders' DID Authentications only. */
    public static final String VC_V1 = "https://www.w3.org/2018/credentials/v1";
    /** The Ed25519Signature2020 suite's context: holders' DID Authentications only. */
    public static final String ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1";

    private static final Map<String, String> FILES = Map.of(
            VC_V1, "credentials-v1.jsonld",
            ED25519_2020, "ed25519-signature-2020-v1.jsonld",
            VC_V2, "credentials-v2.jsonld",
            OB_V3P0, "ob_v3p0_context-3.0.3.specrepo.json",
            OB_EXTENSIONS, "ob-v3p0-extensions.json",
            CLR_V2P0, "clr-v2p0-2.0.1.json",
            DATA_INTEGRITY_V1, "data-integrity-v1.jsonld");

    private final Map<String, byte[]> extra;
    private final Map<String, Document> parsed = new HashMap<>();

    private BundledContexts(Map<String, byte[]> extra) {
        this.extra = Map.copyOf(extra);
    }

    /** The contexts credpipe bundles, and nothing else. */
    public static BundledContexts standard() {
        return new BundledContexts(Map.of());
    }

    /**
     * The bundled contexts plus {@code contexts} (URL to the context's JSON text), e.g. a test
     * vector's example context.
     */
    public static BundledContexts with(Map<String, String> contexts) {
        Map<String, byte[]> extra = new HashMap<>();
        contexts.forEach((url, json) -> extra.put(url, json.getBytes(StandardCharsets.UTF_8)));
        return new BundledContexts(extra);
    }

    /** Whether {@code url} is served. */
    public boolean serves(String url) {
        return FILES.containsKey(url) || extra.containsKey(url);
    }

    @Override
    public synchronized Document loadDocument(URI url, DocumentLoaderOptions options) throws JsonLdError {
        Objects.requireNonNull(url, "url");
        String key = url.toString();
        Document document = parsed.get(key);
        if (document == null) {
            document = JsonDocument.of(open(key));
            document.setDocumentUrl(url);
            parsed.put(key, document);
        }
        return document;
    }

    private InputStream open(String url) throws JsonLdError {
        byte[] given = extra.get(url);
        if (given != null) {
            return new ByteArrayInputStream(given);
        }
        String file = FILES.get(url);
        if (file == null) {
            // Never fetched: an unknown context makes the document unprocessable, not a network call.
            throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED, "context not bundled: " + url);
        }
        InputStream in = BundledContexts.class.getResourceAsStream("contexts/" + file);
        if (in == null) {
            throw new UncheckedIOException(new IOException("missing resource contexts/" + file));
        }
        return in;
    }
}
