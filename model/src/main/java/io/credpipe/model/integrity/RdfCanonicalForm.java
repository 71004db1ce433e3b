package io.credpipe.model.integrity;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.canon.RdfCanonTimeTicker;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Objects;

/**
 * A JSON-LD document as canonical N-Quads: JSON-LD 1.1 "Deserialize JSON-LD to RDF" with the
 * {@link BundledContexts} only (titanium-json-ld), then RDF Dataset Canonicalization, RDFC-1.0 with
 * SHA-256 (W3C Recommendation, 21 May 2024; titanium-rdfc), written as canonical N-Quads (RDFC-1.0
 * §4.4.1). This is eddsa-rdfc-2022's transformation step (§3.3.3) and the proof configuration's
 * canonicalization (§3.3.5).
 *
 * <p>Terms that no context defines are an error, not silently dropped (titanium's
 * {@code undefinedTermsPolicy(Fail)}, jsonld.js's "safe mode"): a value left out of the RDF would be
 * left out of the signature, so anyone could change it without breaking the proof. Canonicalizing
 * is bounded in time: a crafted graph can make RDFC-1.0's n-degree hashing exponential.
 */
public final class RdfCanonicalForm {

    /** How long canonicalizing one document may take before it is refused. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(5);

    private final BundledContexts contexts;

    /** Canonicalizes with {@code contexts} as the only source of contexts. */
    public RdfCanonicalForm(BundledContexts contexts) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
    }

    /**
     * The canonical N-Quads of {@code document}, each line ending in a newline.
     *
     * @throws IllegalArgumentException when the document is not processable JSON-LD with the bundled
     *     contexts (an unknown context, an undefined term, a malformed value) or takes too long
     */
    public String of(JsonNode document) {
        Objects.requireNonNull(document, "document");
        JsonLdOptions options = new JsonLdOptions(contexts);
        options.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
        RdfCanon canon = RdfCanon.create("SHA-256", new RdfCanonTimeTicker(TIME_LIMIT.toMillis()));
        StringWriter out = new StringWriter();
        try {
            JsonLd.toRdf(JsonDocument.of(new StringReader(document.toString()))).options(options).provide(canon);
            canon.provide(new NQuadsWriter(out));
        } catch (JsonLdError e) {
            throw new IllegalArgumentException("not processable as JSON-LD with the bundled contexts: "
                    + e.getCode() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } catch (RdfConsumerException e) {
            throw new IllegalArgumentException("cannot write canonical N-Quads: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("canonicalization took longer than " + TIME_LIMIT.toSeconds()
                    + " s; the document is refused", e);
        }
        return out.toString();
    }
}
