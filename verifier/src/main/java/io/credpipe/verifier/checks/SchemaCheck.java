package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.credential.CredentialSchemas;
import io.credpipe.verifier.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Check#CREDENTIAL_SCHEMA}: the credential is valid against every JSON Schema its
 * {@code credentialSchema} names (OB 3.0 §9.1 step 1, VC 2.0 §4.11); reported only when it names
 * one. Schemas are the bundled copies ({@link CredentialSchemas}), never fetched: a schema this
 * verifier does not hold, or of a validator type it cannot run, leaves the check unable to tell,
 * which is not a failure of the credential.
 */
public final class SchemaCheck implements CredentialCheck<CredentialPayload> {

    private final CredentialSchemas schemas;

    /**
     * Creates the check.
     *
     * @param schemas the bundled schemas
     */
    public SchemaCheck(CredentialSchemas schemas) {
        this.schemas = Objects.requireNonNull(schemas, "schemas");
    }

    @Override
    public String name() {
        return Check.CREDENTIAL_SCHEMA;
    }

    @Override
    public boolean appliesTo(CredentialPayload credential) {
        return credential.claim("credentialSchema") != null;
    }

    @Override
    public Check check(CredentialPayload credential) {
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<JsonNode> entries = StrictJson.items(credential.claim("credentialSchema"));
        for (JsonNode entry : entries) {
            String id = StrictJson.string(entry.get("id"));
            List<String> types = StrictJson.strings(entry.get("type"));
            if (id == null) {
                unknown.add("a credentialSchema entry without an id");
            } else if (!types.contains(CredentialSchemas.VALIDATOR_TYPE)) {
                unknown.add(id + " is of type " + (types.isEmpty() ? "(none)" : String.join(", ", types))
                        + ", which this verifier cannot run (it runs " + CredentialSchemas.VALIDATOR_TYPE + ")");
            } else {
                Optional<List<String>> violations = schemas.violations(id, credential.json());
                if (violations.isEmpty()) {
                    unknown.add(id + " is not a schema this verifier holds (it never fetches schemas)");
                } else if (violations.get().isEmpty()) {
                    valid.add(id);
                } else {
                    invalid.add("not valid against " + id + ": " + String.join("; ", violations.get()));
                }
            }
        }
        if (entries.isEmpty()) {
            return Check.cannotTell(name(), "cannot tell: credentialSchema names no schema");
        }
        if (!invalid.isEmpty()) {
            return Check.failed(name(), String.join("; ", invalid));
        }
        if (!unknown.isEmpty()) {
            return Check.cannotTell(name(), "cannot tell: " + String.join("; ", unknown)
                    + (valid.isEmpty() ? "" : "; valid against " + String.join(", ", valid)));
        }
        return Check.passed(name(), "valid against " + String.join(", ", valid));
    }
}
