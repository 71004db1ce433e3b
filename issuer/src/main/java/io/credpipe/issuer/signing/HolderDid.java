package io.credpipe.issuer.signing;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DIDs a wallet's holder key is named by, both ways: {@code did:jwk} (the JWK itself,
 * base64url-encoded, https://github.com/quartzjer/did-jwk/blob/main/spec.md) and {@code did:key}
 * (https://w3c-ccg.github.io/did-method-key/: multibase base58btc of a multicodec-tagged public key)
 * for the two key types a proof may use here, P-256 ({@code p256-pub}, 0x1200, compressed point)
 * and Ed25519 ({@code ed25519-pub}, 0xed).
 */
public final class HolderDid {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final byte[] P256_PREFIX = {(byte) 0x80, 0x24};
    private static final byte[] ED25519_PREFIX = {(byte) 0xed, 0x01};
    // The NIST P-256 curve (SEC 2 §2.4.2): y^2 = x^3 - 3x + b over F_p.
    private static final BigInteger P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger B = new BigInteger(
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

    private HolderDid() {}

    /**
     * The {@code did:jwk} of a public key: its required members only (RFC 7638 §3.2), in
     * lexicographic order, so the same key always gives the same DID.
     */
    public static String didJwk(JWK key) {
        Map<String, Object> members = new TreeMap<>(key.toPublicJWK().getRequiredParams());
        try {
            return "did:jwk:" + Base64URL.encode(MAPPER.writeValueAsBytes(members));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /**
     * The public key a {@code did:jwk} or {@code did:key} names (a DID URL's fragment is ignored).
     *
     * @throws IllegalArgumentException for another method, or a key that is not P-256 or Ed25519
     */
    public static JWK publicKey(String did) {
        String bare = did.contains("#") ? did.substring(0, did.indexOf('#')) : did;
        if (bare.startsWith("did:jwk:")) {
            try {
                JWK key = JWK.parse(new String(Base64URL.from(bare.substring(8)).decode(), StandardCharsets.UTF_8));
                if (key.isPrivate()) {
                    throw new IllegalArgumentException("a did:jwk names a public key");
                }
                return key;
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a did:jwk", e);
            }
        }
        if (bare.startsWith("did:key:z")) {
            byte[] bytes = base58(bare.substring(9));
            if (startsWith(bytes, P256_PREFIX) && bytes.length == 2 + 33) {
                return p256(Arrays.copyOfRange(bytes, 2, bytes.length));
            }
            if (startsWith(bytes, ED25519_PREFIX) && bytes.length == 2 + 32) {
                return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(bytes, 2, 34))).build();
            }
            throw new IllegalArgumentException("a did:key of neither a P-256 nor an Ed25519 key");
        }
        throw new IllegalArgumentException("neither did:jwk nor did:key");
    }

    /** The DID without its fragment. */
    public static String withoutFragment(String didUrl) {
        return didUrl.contains("#") ? didUrl.substring(0, didUrl.indexOf('#')) : didUrl;
    }

    /** An uncompressed P-256 key from a SEC 1 §2.3.3 compressed point (02|03 || x). */
    private static ECKey p256(byte[] compressed) {
        if (compressed[0] != 2 && compressed[0] != 3) {
            throw new IllegalArgumentException("not a compressed P-256 point");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(compressed, 1, 33));
        BigInteger rhs = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        // p ≡ 3 (mod 4), so a square root is rhs^((p+1)/4).
        BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        if (!y.multiply(y).mod(P).equals(rhs)) {
            throw new IllegalArgumentException("not a point on P-256");
        }
        if (y.testBit(0) != (compressed[0] == 3)) {
            y = P.subtract(y);
        }
        return new ECKey.Builder(Curve.P_256, Base64URL.encode(fixed(x)), Base64URL.encode(fixed(y))).build();
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] base58(String text) {
        BigInteger value = BigInteger.ZERO;
        for (char c : text.toCharArray()) {
            int digit = BASE58.indexOf(c);
            if (digit < 0) {
                throw new IllegalArgumentException("not base58btc");
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] bytes = value.toByteArray();
        int leadingZeros = 0;
        while (leadingZeros < text.length() && text.charAt(leadingZeros) == '1') {
            leadingZeros++;
        }
        int strip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] out = new byte[leadingZeros + bytes.length - strip];
        System.arraycopy(bytes, strip, out, leadingZeros, bytes.length - strip);
        return out;
    }
}
