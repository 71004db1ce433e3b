package io.credpipe.model.integrity;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 keys in their Multikey encodings (Controlled Identifiers v1.0 §2.2.2; Data Integrity
 * EdDSA Cryptosuites v1.0 §2.1.1): {@code publicKeyMultibase} is {@code z} + base58btc of the
 * multicodec {@code 0xed01} and the 32-byte public key ({@code z6Mk…}); {@code secretKeyMultibase}
 * the multicodec {@code 0x8026} and the 32-byte seed. Signing and verifying use the JDK's EdDSA
 * (RFC 8032, Java 15+), so no other crypto library is involved.
 */
public final class Ed25519Multikey {

    private static final byte[] PUBLIC_PREFIX = {(byte) 0xed, 0x01};
    private static final byte[] SECRET_PREFIX = {(byte) 0x80, 0x26};
    /** The DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4) before its 32 key bytes. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final int KEY_BYTES = 32;

    private Ed25519Multikey() {}

    /** {@code publicKeyMultibase} of an Ed25519 public key. */
    public static String publicKeyMultibase(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm()) || encoded.length != SPKI_PREFIX.length + KEY_BYTES) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Base58Btc.multibase(concat(PUBLIC_PREFIX, Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length)));
    }

    /**
     * The Ed25519 public key a {@code publicKeyMultibase} (or a {@code did:key} identifier's
     * method-specific id) holds.
     *
     * @throws IllegalArgumentException when it is not an Ed25519 Multikey
     */
    public static PublicKey publicKey(String publicKeyMultibase) {
        byte[] raw = unprefixed(publicKeyMultibase, PUBLIC_PREFIX, "an Ed25519 public key (z6Mk…, multicodec 0xed01)");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid Ed25519 public key", e);
        }
    }

    /**
     * The Ed25519 private key a {@code secretKeyMultibase} holds.
     *
     * @throws IllegalArgumentException when it is not an Ed25519 secret Multikey
     */
    public static PrivateKey privateKey(String secretKeyMultibase) {
        byte[] seed = unprefixed(secretKeyMultibase, SECRET_PREFIX, "an Ed25519 secret key (multicodec 0x8026)");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid Ed25519 secret key");
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** {@code secretKeyMultibase} of an Ed25519 private key: its 32-byte seed. */
    public static String secretKeyMultibase(EdECPrivateKey key) {
        byte[] seed = key.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key's bytes are not extractable"));
        try {
            return Base58Btc.multibase(concat(SECRET_PREFIX, seed));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The Ed25519 signature (64 bytes) of {@code data}. */
    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is {@code key}'s Ed25519 signature of {@code data}. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    private static byte[] unprefixed(String multibase, byte[] prefix, String what) {
        byte[] bytes = Base58Btc.decodeMultibase(multibase);
        if (bytes.length != prefix.length + KEY_BYTES || bytes[0] != prefix[0] || bytes[1] != prefix[1]) {
            throw new IllegalArgumentException("not " + what);
        }
        return Arrays.copyOfRange(bytes, prefix.length, bytes.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
