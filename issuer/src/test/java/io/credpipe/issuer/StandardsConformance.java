package io.credpipe.issuer;

import io.credpipe.issuer.credential.ClrAssembler;
import io.credpipe.issuer.credential.CredentialAssembler;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.loader.DocumentLoader;
import com.apicatalog.jsonld.loader.DocumentLoaderOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.credpipe.model.json.Json;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Checks a credential against the published standards, offline, from the copies bundled under
 * {@code standards/} (see {@code standards/SOURCES.md}): 1EdTech's JSON Schemas (draft 2019-09, with
 * networknt) and JSON-LD expansion in safe mode (titanium). Shared through the issuer's test-jar, so
 * that the app's tests check the demo's credentials exactly as the issuer's tests check assembled ones.
 */
public final class StandardsConformance {

    /** The contexts credpipe documents use, by URL, from {@code standards/contexts/}. */
    private static final Map<String, String> CONTEXTS = Map.of(
            CredentialAssembler.VC_CONTEXT, "credentials-v2.jsonld",
            CredentialAssembler.OB_CONTEXT, "ob_v3p0_context-3.0.3.specrepo.json",
            CredentialAssembler.OB_EXTENSIONS_CONTEXT, "ob-v3p0-extensions.json",
            ClrAssembler.CLR_CONTEXT, "clr-v2p0-2.0.1.json");

    /** Serves the bundled contexts and refuses everything else, so nothing is fetched. */
    private static final DocumentLoader BUNDLED = (URI url, DocumentLoaderOptions options) -> {
        String file = CONTEXTS.get(url.toString());
        if (file == null) {
            throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED, "not bundled: " + url);
        }
        InputStream in = StandardsConformance.class.getResourceAsStream("standards/contexts/" + file);
        if (in == null) {
            throw new JsonLdError(JsonLdErrorCode.LOADING_DOCUMENT_FAILED, "missing test resource " + file);
        }
        Document document = JsonDocument.of(in);
        document.setDocumentUrl(url);
        return document;
    };

    private final Schema achievementCredential = schema("ob_v3p0_achievementcredential_schema.json");
    private final Schema clrCredential = schema("clr_v2p0_clrcredential_schema.json");

    /** The violations of 1EdTech's OB 3.0 AchievementCredential schema; empty when valid. */
    public List<String> achievementCredentialErrors(JsonNode credential) {
        return messages(achievementCredential.validate(credential));
    }

    /** The violations of 1EdTech's CLR 2.0 ClrCredential schema; empty when valid. */
    public List<String> clrCredentialErrors(JsonNode credential) {
        return messages(clrCredential.validate(credential));
    }

    /**
     * The document expanded as JSON-LD with the bundled contexts only, in safe mode: titanium's
     * {@code undefinedTermsPolicy(Fail)} makes a term no context defines an error instead of
     * silently dropping it (what jsonld.js calls {@code safe: true}).
     *
     * @throws JsonLdError when the document does not expand
     */
    public JsonArray expand(JsonNode document) throws JsonLdError {
        String json;
        try {
            json = Json.newMapper().writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonLdOptions options = new JsonLdOptions(BUNDLED);
        options.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
        return JsonLd.expand(JsonDocument.of(new StringReader(json))).options(options).get();
    }

    private static Schema schema(String file) {
        try (InputStream in = StandardsConformance.class.getResourceAsStream("standards/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource standards/" + file);
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
