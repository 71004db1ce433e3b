package io.credpipe.issuer.signing;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.credpipe.model.credential.PublicUrls;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.integrity.EddsaRdfc2022;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The issuer's public keys as verifiers see them. Open Badges 3.0 requires the JOSE header
 * {@code kid} to be "a URI that can be dereferenced to an object of type JWK"
 * (https://www.imsglobal.org/spec/ob/v3p0/#joseheader), so each key is published under
 * {@code {base}/keys/{thumbprint}} and that URL is its {@code kid} in signatures and in the JWK set
 * at {@link PublicUrls#jwks()}; verifiers that select a key from the set by {@code kid} and
 * verifiers that dereference the {@code kid} both find it. The key file keeps the bare RFC 7638
 * thumbprint, so moving the public base URL never touches key material. The Ed25519 keys of Data
 * Integrity proofs are published the same way, under {@code {base}/keys/{publicKeyMultibase}}, as
 * Multikey documents.
 */
public final class PublishedKeys {

    /** The context of Multikey documents (Controlled Identifiers v1.0 §2.2.2). */
    public static final String MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";

    private final IssuerKeys keys;
    private final PublicUrls urls;

    public PublishedKeys(IssuerKeys keys, PublicUrls urls) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /** The URL of the public key with RFC 7638 thumbprint {@code thumbprint}: its published {@code kid}. */
    public static String keyUrl(PublicUrls urls, String thumbprint) {
        return urls.base() + "/keys/" + thumbprint;
    }

    /** The published {@code kid} of the active signing key. */
    public String activeKeyId() {
        return keyUrl(urls, keys.activeKeyId());
    }

    /** Every public key, active first, each with its URL as {@code kid}; never private parts. */
    public JWKSet jwks() {
        return new JWKSet(keys.publicJwks().getKeys().stream().map(this::published).toList());
    }

    /** The public key whose thumbprint is {@code thumbprint}, with its URL as {@code kid}. */
    public Optional<JWK> key(String thumbprint) {
        return Optional.ofNullable(keys.publicJwks().getKeyByKeyId(thumbprint)).map(this::published);
    }

    /** {@link #jwks()} as JSON text, for callers that serve it without handling JOSE types. */
    public String jwksJson() {
        return jwks().toString(true);
    }

    /** {@link #key(String)}'s public JWK as JSON text. */
    public Optional<String> publicKeyJson(String thumbprint) {
        return key(thumbprint).map(key -> key.toPublicJWK().toJSONString());
    }

    /**
     * A signer with the active key, whatever its algorithm, and {@code typ} {@code JWT}, labelling
     * signatures with its published {@code kid}.
     */
    public CredentialSigner signer() {
        return new CredentialSigner(keys.activeKey(), activeKeyId());
    }

    /**
     * A signer with the active key for {@code algorithm} and {@code typ}, labelling signatures with
     * its published {@code kid}.
     *
     * @throws IllegalStateException when the active key is not a key for {@code algorithm}
     *     (see {@link IssuerKeys#requireActive(SigningAlgorithm)})
     */
    public CredentialSigner signer(SigningAlgorithm algorithm, JwtType type) {
        keys.requireActive(algorithm);
        return new CredentialSigner(keys.activeKey(), activeKeyId(), type);
    }

    /** The {@code publicKeyMultibase} of every Ed25519 Data Integrity key, active first. */
    public List<String> multikeys() {
        return keys.dataIntegrityPublicKeys();
    }

    /** The URL of the Ed25519 key {@code publicKeyMultibase}, where its Multikey document is served. */
    public String multikeyUrl(String publicKeyMultibase) {
        return urls.base() + "/keys/" + publicKeyMultibase;
    }

    /**
     * The Multikey document (Controlled Identifiers v1.0 §2.2.2) of the Ed25519 key
     * {@code publicKeyMultibase}, controlled by {@code did}; empty when the issuer has no such key.
     */
    public Optional<ObjectNode> multikey(String publicKeyMultibase, String did) {
        if (!multikeys().contains(publicKeyMultibase)) {
            return Optional.empty();
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("@context", MULTIKEY_CONTEXT);
        document.put("id", multikeyUrl(publicKeyMultibase));
        document.put("type", "Multikey");
        document.put("controller", did);
        document.put("publicKeyMultibase", publicKeyMultibase);
        return Optional.of(document);
    }

    /**
     * A Data Integrity signer with the active Ed25519 key, naming it as {@code did#z6Mk…}, the
     * verification method the DID document lists under {@code assertionMethod}.
     */
    public DataIntegritySigner dataIntegritySigner(String did, EddsaRdfc2022 suite, Clock clock) {
        DataIntegrityKeys.Key active = keys.dataIntegrity().active();
        return new DataIntegritySigner(suite, active.privateKey(), did + "#" + active.publicKeyMultibase(), clock);
    }

    private JWK published(JWK publicKey) {
        String kid = keyUrl(urls, publicKey.getKeyID());
        if (publicKey instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        return new ECKey.Builder(publicKey.toECKey()).keyID(kid).build();
    }
}
