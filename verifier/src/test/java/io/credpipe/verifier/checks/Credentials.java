package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.credential.CredentialPayload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/** Test payloads for checks: the test credential's JWT payload, as a check receives it. */
final class Credentials {

    private Credentials() {}

    /** The test credential's payload with its registered claims. */
    static ObjectNode payload() {
        return TestIssuer.payload(TestIssuer.credential());
    }

    static CredentialPayload read(ObjectNode payload) {
        return CredentialPayload.parse(payload.toString().getBytes(StandardCharsets.UTF_8), new ArrayList<>());
    }
}
