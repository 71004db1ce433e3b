package io.credpipe.verifier.jws;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.verifier.json.StrictJson;
import java.io.IOException;

/**
 * Verifies a compact JWS in one step and reads its payload as a JSON object: for documents the
 * verifier needs but does not report on step by step, such as status list credentials (W3C
 * Bitstring Status List v1.0 §3.6: secured like the credential). It applies the same rules as the
 * credential's own checks: an {@linkplain Algorithms#ACCEPTED accepted} algorithm, no {@code crit},
 * a {@code typ} of {@code JWT} or {@code vc+jwt} when present, and a signature by the trusted key
 * its {@code kid} names, of a type that fits the algorithm.
 *
 * @param payload the verified payload, {@code null} on failure
 * @param keyId   the {@code kid} of the key that signed it, {@code null} on failure
 * @param failure why it does not verify, {@code null} on success
 */
public record SignedJson(JsonNode payload, String keyId, String failure) {

    private static SignedJson failed(String failure) {
        return new SignedJson(null, null, failure);
    }

    /**
     * Verifies {@code token} with {@code keys}.
     *
     * @param token a compact JWS, surrounding whitespace allowed
     * @param keys  the trusted keys
     * @return the payload, or why it cannot be trusted
     */
    public static SignedJson verify(String token, TrustedKeys keys) {
        CompactJws.Parsed parsed = CompactJws.parse(token.strip());
        if (parsed.failure() != null) {
            return failed(parsed.failure());
        }
        CompactJws jws = parsed.jws();
        JsonNode header = jws.header();
        String alg = jws.alg();
        if (alg == null || !Algorithms.accepted(alg)) {
            return failed("alg " + header.get("alg") + " is not an accepted public-key signature algorithm");
        }
        if (header.has("crit")) {
            return failed("critical header parameters " + header.get("crit") + " are not understood (RFC 7515 §4.1.11)");
        }
        JsonNode typ = header.get("typ");
        if (typ != null) {
            String mismatch = CompactJws.typMismatch(typ);
            if (mismatch != null) {
                return failed(mismatch);
            }
        }
        String kid = StrictJson.string(header.get("kid"));
        if (kid == null) {
            return failed("the header has no kid, so no trusted key can be chosen");
        }
        VerificationKey key = keys.find(kid);
        if (key == null) {
            return failed("it is signed with key \"" + kid + "\", which is not a trusted key");
        }
        String mismatch = key.mismatch(alg);
        if (mismatch != null) {
            return failed("key \"" + kid + "\" " + mismatch);
        }
        VerificationKey.SignatureResult signature = key.verify(jws);
        if (signature.error() != null) {
            return failed("the signature cannot be checked: " + signature.error());
        }
        if (!signature.valid()) {
            return failed("the signature does not match: the list was altered or not signed with key \"" + kid + "\"");
        }
        JsonNode payload;
        try {
            payload = StrictJson.read(jws.payload());
        } catch (IOException e) {
            return failed("the payload is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return failed("the payload is not a JSON object");
        }
        return new SignedJson(payload, kid, null);
    }
}
