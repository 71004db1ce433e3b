package io.credpipe.issuer.signing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.credpipe.model.credential.DidWeb;
import io.credpipe.model.credential.PublicUrls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The issuer's {@code did:web} DID document (https://w3c-ccg.github.io/did-method-web/), listing
 * every published key, retired ones too, as {@code JsonWebKey2020} verification methods usable for
 * assertions. Each method's fragment is the key's RFC 7638 thumbprint, the last path segment of its
 * {@code kid} URL.
 *
 * <p>EC P-256 (ES256) and RSA (RS256) keys get the same method type: {@code JsonWebKey2020}
 * (W3C CCG JSON Web Signature 2020, https://w3c-ccg.github.io/lds-jws2020/#json-web-key-2020)
 * carries any JWK in {@code publicKeyJwk}, and the suite's key table lists {@code kty} {@code RSA}
 * beside {@code EC} P-256. DID Core §5.2.1 asks of {@code publicKeyJwk} only an RFC 7517 JWK without
 * private members. Its successor type {@code JsonWebKey} (W3C Controlled Identifiers v1.0) is
 * equally key-type-agnostic; moving to it would change the context, not the handling of RSA keys.
 *
 * <p>The DID is derived from the public base URL (§3.1 "Create"): the host, with a port
 * percent-encoded ({@code localhost%3A8080}), then each path segment after a colon. A bare host
 * resolves to {@code /.well-known/did.json}; a base URL with a path resolves to
 * {@code {path}/did.json} (§3.2 "Read"), see {@link #documentPath()}.
 */
public final class DidWebDocument {

    static final String DID_CONTEXT = "https://www.w3.org/ns/did/v1";
    static final String JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1";

    private final PublicUrls urls;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public DidWebDocument(PublicUrls urls) {
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /** The issuer's DID, e.g. {@code did:web:credentials.example.com}. */
    public String did() {
        return DidWeb.of(urls.base());
    }

    /** Where, under the server's root, a did:web resolver reads the document. */
    public String documentPath() {
        String path = URI.create(urls.base()).getPath();
        return path == null || path.isEmpty() ? "/.well-known/did.json" : "/did.json";
    }

    /** The document for every key {@code keys} publishes, JWT signing keys and Ed25519 Multikeys. */
    public ObjectNode document(PublishedKeys keys) {
        return document(keys.jwks(), keys.multikeys());
    }

    /** The document for {@code keys} (public keys as {@link PublishedKeys#jwks()} gives them). */
    public ObjectNode document(JWKSet keys) {
        return document(keys, List.of());
    }

    /**
     * The document for {@code keys} and the Ed25519 keys {@code multikeys} ({@code publicKeyMultibase},
     * as {@link PublishedKeys#multikeys()} gives them), each a {@code Multikey} verification method
     * (Controlled Identifiers v1.0 §2.2.2) whose fragment is its {@code publicKeyMultibase}, as
     * Data Integrity EdDSA Cryptosuites v1.0 §2.1.1 shows it.
     */
    public ObjectNode document(JWKSet keys, List<String> multikeys) {
        String did = did();
        ObjectNode document = json.objectNode();
        ArrayNode context = document.putArray("@context").add(DID_CONTEXT).add(JWS_2020_CONTEXT);
        if (!multikeys.isEmpty()) {
            context.add(PublishedKeys.MULTIKEY_CONTEXT);
        }
        document.put("id", did);
        // DID Core §5.1.3: the issuer's other identifier, its Open Badges profile's URL, which was the
        // issuer id of the credentials issued before the DID became it.
        document.putArray("alsoKnownAs").add(urls.issuerProfile());
        ArrayNode methods = document.putArray("verificationMethod");
        ArrayNode assertion = json.arrayNode();
        ArrayNode authentication = json.arrayNode();
        for (JWK key : keys.getKeys()) {
            String kid = key.getKeyID();
            String id = did + "#" + kid.substring(kid.lastIndexOf('/') + 1);
            ObjectNode method = methods.addObject();
            method.put("id", id);
            method.put("type", "JsonWebKey2020");
            method.put("controller", did);
            ObjectNode jwk = method.putObject("publicKeyJwk");
            for (Map.Entry<String, Object> member : key.toPublicJWK().toJSONObject().entrySet()) {
                jwk.putPOJO(member.getKey(), member.getValue());
            }
            assertion.add(id);
            authentication.add(id);
        }
        for (String multibase : multikeys) {
            String id = did + "#" + multibase;
            ObjectNode method = methods.addObject();
            method.put("id", id);
            method.put("type", "Multikey");
            method.put("controller", did);
            method.put("publicKeyMultibase", multibase);
            assertion.add(id);
            authentication.add(id);
        }
        document.set("assertionMethod", assertion);
        document.set("authentication", authentication);
        return document;
    }
}
