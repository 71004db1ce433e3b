package io.credpipe.verifier.jws;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;

/**
 * An issuer's public keys, the JWK set (RFC 7517 §5) a verifier trusts. Only public keys are
 * kept: private parts are dropped and symmetric keys with them, since a verifier only ever needs
 * public keys. Immutable.
 */
public final class TrustedKeys {

    private final JWKSet keys;
    /** The public JWK set document: what identifies these keys, for equality. */
    private final String json;

    private TrustedKeys(JWKSet publicKeys) {
        this.keys = publicKeys;
        this.json = publicKeys.toString(true);
    }

    /**
     * The public keys of a Nimbus JWK set.
     *
     * @param keys the set; private and symmetric members are ignored
     * @return the keys, possibly {@linkplain #isEmpty() empty}
     */
    public static TrustedKeys of(JWKSet keys) {
        return new TrustedKeys(Objects.requireNonNull(keys, "keys").toPublicJWKSet());
    }

    /**
     * Parses a JWK set document, e.g. an issuer's {@code /.well-known/jwks.json}.
     *
     * @param json the JSON text
     * @return the public keys it holds
     * @throws IllegalArgumentException if it is not a JWK set, with the reason
     */
    public static TrustedKeys parse(String json) {
        try {
            return of(JWKSet.parse(json));
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Whether no public key is held.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * How many public keys are held.
     *
     * @return the count
     */
    public int size() {
        return keys.size();
    }

    /**
     * The key with this {@code kid}.
     *
     * @param kid a key id
     * @return the key, or {@code null} when no key has that id
     */
    public VerificationKey find(String kid) {
        JWK key = keys.getKeyByKeyId(kid);
        return key == null ? null : new VerificationKey(key);
    }

    /**
     * The ids of the keys, in set order, leaving out keys without one.
     *
     * @return the key ids
     */
    public List<String> keyIds() {
        return keys.getKeys().stream().map(JWK::getKeyID).filter(Objects::nonNull).toList();
    }

    /**
     * The keys as a JWK set document of public keys.
     *
     * @return the JSON text
     */
    @Override
    public String toString() {
        return json;
    }

    /**
     * Key sets are equal when they hold the same public keys in the same order.
     *
     * @param other another object
     * @return {@code true} if it is an equal key set
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedKeys that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }
}
