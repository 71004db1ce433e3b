package io.credpipe.verifier.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas a credential's {@code credentialSchema} may name that this verifier can check
 * (OB 3.0 §9.1 step 1): 1EdTech's OB 3.0 AchievementCredential and CLR 2.0 ClrCredential schemas,
 * bundled as resources (see {@code schemas/SOURCES.md}) and looked up by their published id, never
 * fetched. Each is loaded on first use. Thread-safe.
 */
public final class CredentialSchemas {

    /** The {@code credentialSchema} type of a 1EdTech JSON Schema (OB 3.0 §B.1.7, draft 2019-09). */
    public static final String VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019";

    /** The published id of the OB 3.0 AchievementCredential schema. */
    public static final String OB_ACHIEVEMENT_CREDENTIAL =
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

    /** The published id of the CLR 2.0 ClrCredential schema. */
    public static final String CLR_CREDENTIAL =
            "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json";

    private static final Map<String, String> BUNDLED = Map.of(
            OB_ACHIEVEMENT_CREDENTIAL, "schemas/ob_v3p0_achievementcredential_schema.json",
            CLR_CREDENTIAL, "schemas/clr_v2p0_clrcredential_schema.json");

    /** How many violations a result lists; the rest are counted. */
    private static final int SHOWN = 5;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09);
    private final Map<String, Schema> loaded = new ConcurrentHashMap<>();

    /**
     * Whether a schema with this id is bundled.
     *
     * @param schemaId a {@code credentialSchema} id
     * @return {@code true} if it can be checked
     */
    public boolean knows(String schemaId) {
        return BUNDLED.containsKey(schemaId);
    }

    /**
     * The ways {@code document} violates the schema {@code schemaId}.
     *
     * @param schemaId a {@code credentialSchema} id
     * @param document the credential (the JWT payload: the credential plus registered claims,
     *                 which the 1EdTech schemas allow as additional properties)
     * @return the violations, at most a few listed and the rest counted, empty when it is valid;
     *     empty optional when the schema is not bundled
     */
    public Optional<List<String>> violations(String schemaId, JsonNode document) {
        String resource = BUNDLED.get(schemaId);
        if (resource == null) {
            return Optional.empty();
        }
        Schema schema = loaded.computeIfAbsent(schemaId, id -> load(resource));
        // Format assertions off: "format" is an annotation in draft 2019-09 (§7.2), networknt's email
        // format checks top-level domains against a list, and dates are checked by the date checks.
        List<Error> errors = schema.validate(document, context -> context.executionConfig(
                config -> config.formatAssertionsEnabled(false)));
        List<String> messages = errors.stream().limit(SHOWN).map(Error::toString).toList();
        if (errors.size() > SHOWN) {
            messages = new java.util.ArrayList<>(messages);
            messages.add("and " + (errors.size() - SHOWN) + " more");
        }
        return Optional.of(messages);
    }

    private Schema load(String resource) {
        try (InputStream in = CredentialSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled schema missing: " + resource);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
