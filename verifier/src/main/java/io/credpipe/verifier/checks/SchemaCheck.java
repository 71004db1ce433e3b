package io.credpipe.verifier.checks;

import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import java.util.List;

/**
 * {@link Check#CREDENTIAL_SCHEMA}: JSON Schema validation against the credential's
 * {@code credentialSchema} (OB 3.0 §9.1 step 1); reported only when the credential names one.
 */
public final class SchemaCheck implements CredentialCheck<CredentialPayload> {

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
        List<String> schemaTypes = credential.credentialSchemaTypes();
        return Check.skipped(name(), "not checked: the credential names a JSON Schema"
                + (schemaTypes.isEmpty() ? "" : " (" + String.join(", ", schemaTypes) + ")")
                + " that this verifier does not validate against");
    }
}
