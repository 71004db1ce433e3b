package io.credpipe.verifier.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a visitor or an API client handed over for verification, told apart from its content: a
 * compact JWS, a URL to fetch the credential from, or a JSON credential that carries no JWT proof
 * (and so cannot be verified, which the report says).
 */
public sealed interface CredentialInput {

    /** The largest credential accepted: credentials are a few kilobytes, learner records tens. */
    int MAX_BYTES = 1024 * 1024;

    /**
     * A credential in compact JWS serialization.
     *
     * @param token the JWS, surrounding whitespace removed
     */
    record Jws(String token) implements CredentialInput {}

    /**
     * Where to fetch the credential.
     *
     * @param url an http(s) URL
     */
    record Url(URI url) implements CredentialInput {}

    /**
     * A JSON credential without a JWT proof.
     *
     * @param embeddedProof whether it carries an embedded (Data Integrity) proof, which this
     *                      verifier does not check
     */
    record Unsecured(boolean embeddedProof) implements CredentialInput {}

    /**
     * A JSON credential with an embedded proof, verified as a Data Integrity credential.
     *
     * @param json the credential as JSON text
     */
    record Embedded(String json) implements CredentialInput {}

    /**
     * Reads text that is either a compact JWS or a JSON document (see {@link #fromJson}); a visitor
     * pastes either into the page.
     *
     * @param text the text, surrounding whitespace ignored
     * @return the input
     * @throws ProblemException (400) when the text is empty or JSON that cannot be read
     */
    static CredentialInput fromText(String text) {
        String stripped = text.replace("\uFEFF", "").strip();
        if (stripped.isEmpty()) {
            throw unreadable("No credential was given.");
        }
        if (stripped.startsWith("{") || stripped.startsWith("\"")) {
            return fromJson(stripped.getBytes(StandardCharsets.UTF_8));
        }
        return new Jws(stripped);
    }

    /**
     * Reads a JSON body: {@code {"url": "…"}}; a JSON string holding a compact JWS; a VC 2.0
     * {@code EnvelopedVerifiableCredential} whose {@code id} is a {@code data:application/vc+jwt,…}
     * or {@code data:application/jwt,…} URL (VC 2.0 §4.13); the issuer's JSON view of a credential,
     * which carries the JWS as {@code jwt}; or any other JSON credential, which is unsecured.
     *
     * @param body the body
     * @return the input
     * @throws ProblemException (400) when the body is not JSON or names an unusable URL
     */
    static CredentialInput fromJson(byte[] body) {
        ObjectMapper mapper = Json.newMapper();
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            // A broken limit (nesting deeper than Jackson's 1,000) has no location.
            throw unreadable(e.getLocation() == null ? "The body is not JSON this service reads (nested too deep or too large)."
                    : "The body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ").");
        } catch (java.io.IOException e) {
            throw unreadable("The body cannot be read as JSON.");
        }
        if (json == null || json.isMissingNode()) {
            throw unreadable("The body is empty.");
        }
        if (json.isTextual()) {
            String text = json.asText().strip();
            if (text.startsWith("{") || text.startsWith("\"")) {
                throw unreadable("A JSON string must hold a compact JWS; send a credential as a JSON object.");
            }
            return fromText(text);
        }
        if (!json.isObject()) {
            throw unreadable("Expected a credential (a JSON object), a compact JWS, or {\"url\": \"…\"}.");
        }
        JsonNode url = json.get("url");
        if (url != null && json.size() == 1) {
            if (!url.isTextual()) {
                throw unreadable("\"url\" must be a string.");
            }
            return new Url(url(url.asText()));
        }
        String enveloped = envelopedJws(json);
        if (enveloped != null) {
            return new Jws(enveloped);
        }
        JsonNode jwt = json.get("jwt");
        if (jwt != null && jwt.isTextual() && json.has("credentialId")) {
            return new Jws(jwt.asText().strip());
        }
        if (json.has("proof")) {
            return new Embedded(new String(body, StandardCharsets.UTF_8));
        }
        return new Unsecured(false);
    }

    /**
     * Parses the URL a visitor typed.
     *
     * @param text the URL
     * @return the URL
     * @throws ProblemException (400) when it is not an absolute http(s) URL
     */
    static URI url(String text) {
        String stripped = text.strip();
        URI uri;
        try {
            uri = new URI(stripped);
        } catch (URISyntaxException e) {
            throw unreadable("\"" + shorten(stripped) + "\" is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw unreadable("\"" + shorten(stripped) + "\" is not an http(s) URL.");
        }
        return uri;
    }

    private static String envelopedJws(JsonNode json) {
        JsonNode type = json.get("type");
        boolean envelope = type != null && (type.isTextual() ? type.asText().equals("EnvelopedVerifiableCredential")
                : type.isArray() && type.toString().contains("\"EnvelopedVerifiableCredential\""));
        JsonNode id = json.get("id");
        if (!envelope || id == null || !id.isTextual()) {
            return null;
        }
        String value = id.asText();
        for (String prefix : new String[] {"data:application/vc+jwt,", "data:application/jwt,"}) {
            if (value.startsWith(prefix)) {
                return value.substring(prefix.length()).strip();
            }
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** A 400 problem: the input cannot be read as any credential form. */
    static ProblemException unreadable(String detail) {
        return new ProblemException(Problem.of("unreadable-credential", "Unreadable credential", 400, detail));
    }
}
