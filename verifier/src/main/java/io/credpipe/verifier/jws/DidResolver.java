package io.credpipe.verifier.jws;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import io.credpipe.verifier.fetch.HttpFetch;
import io.credpipe.verifier.json.StrictJson;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import io.credpipe.model.integrity.Ed25519Multikey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves a DID to the public keys its controller uses for assertions, from public material only
 * (W3C DID Core §7.1): {@code did:web} by fetching its DID document over HTTPS (did:web method
 * §3.2 "Read"), {@code did:key} and {@code did:jwk} locally, since the key is the identifier.
 * Each key's {@code kid} is its verification method's absolute id ({@code did:…#fragment}), the
 * DID URL a JWS names in its {@code kid}. {@link #proofKey(String)} finds a Data Integrity proof's
 * Ed25519 Multikey in the same documents.
 *
 * <p>Over 400 lines because both key forms (JWKs for JWTs, Multikeys for Data Integrity proofs) are
 * read from one fetched document by the same did:web rules; splitting them would duplicate those.
 */
public final class DidResolver {

    /** did:web method §3.1: the method-specific id is a host (port percent-encoded) and colon-separated path. */
    private static final Pattern DID_WEB = Pattern.compile("did:web:[A-Za-z0-9.%-]+(:[A-Za-z0-9._~%!$&'()*+,;=@-]+)*");
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final HttpFetch http;
    private final Map<String, JsonNode> given;

    /**
     * Creates a resolver.
     *
     * @param http how {@code did:web} documents are fetched, with its rules for plain HTTP
     */
    public DidResolver(HttpFetch http) {
        this(http, Map.of());
    }

    /**
     * Creates a resolver that takes the {@code did:web} documents in {@code given} (by their
     * {@code id}) as they are, without fetching them: for verifying offline with a saved
     * {@code did.json}. Others are fetched.
     *
     * @param http  how other {@code did:web} documents are fetched
     * @param given DID documents by DID
     */
    public DidResolver(HttpFetch http, Map<String, JsonNode> given) {
        this.http = Objects.requireNonNull(http, "http");
        this.given = Map.copyOf(given);
    }

    /**
     * Reads a saved DID document, e.g. an issuer's {@code did.json}, for {@link #DidResolver(HttpFetch, Map)}.
     *
     * @param json the document
     * @return its DID and the document
     * @throws IOException when it is not a DID document with an {@code id}
     */
    public static Map.Entry<String, JsonNode> savedDocument(byte[] json) throws IOException {
        JsonNode document = StrictJson.read(json);
        String id = document == null ? null : StrictJson.string(document.get("id"));
        if (id == null || !id.startsWith("did:")) {
            throw new IOException("not a DID document: it has no DID as its id");
        }
        return Map.entry(id, document);
    }

    /**
     * The DID a DID URL belongs to: everything before its fragment, path or query.
     *
     * @param didUrl e.g. {@code did:web:example.com#key-1}
     * @return the DID, e.g. {@code did:web:example.com}
     */
    public static String didOf(String didUrl) {
        int end = didUrl.length();
        for (char c : new char[] {'#', '?', '/'}) {
            int at = didUrl.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return didUrl.substring(0, end);
    }

    /**
     * Resolves a DID to its assertion keys.
     *
     * @param did a DID (no fragment)
     * @return the keys, with where they came from, or why there are none
     */
    public KeySource.Loaded resolve(String did) {
        String source = "the DID document of " + did;
        try {
            List<JWK> keys;
            if (did.startsWith("did:jwk:")) {
                keys = List.of(didJwk(did));
            } else if (did.startsWith("did:key:")) {
                keys = List.of(didKey(did));
            } else if (did.startsWith("did:web:")) {
                URI url = didWebUrl(did);
                source = source + " (" + url + ")";
                keys = didWeb(did, url);
            } else {
                return new KeySource.Loaded(null, source, "the DID method of " + did
                        + " is not supported; this verifier resolves did:web, did:key and did:jwk");
            }
            return KeySource.Loaded.of(source, TrustedKeys.of(new JWKSet(keys)));
        } catch (IOException e) {
            return new KeySource.Loaded(null, source, "cannot resolve " + did + ": " + e.getMessage());
        }
    }

    /** did:jwk: the method-specific id is the base64url of the JWK's JSON; its one method is {@code #0}. */
    private static JWK didJwk(String did) throws IOException {
        try {
            String json = new String(Base64.getUrlDecoder().decode(did.substring("did:jwk:".length())), StandardCharsets.UTF_8);
            JWK jwk = JWK.parse(json);
            if (jwk.isPrivate()) {
                throw new IOException("a did:jwk must hold a public key only");
            }
            return withKid(jwk, did + "#0");
        } catch (IllegalArgumentException | ParseException e) {
            throw new IOException("not a did:jwk: the identifier is not a base64url JWK (" + e.getMessage() + ")");
        }
    }

    /**
     * did:key (W3C CCG did:key v0.7 §3.1.2): {@code z} + base58btc of a multicodec-prefixed public key;
     * its one method's fragment repeats the identifier. P-256 and P-384 keys (compressed points,
     * multicodec 0x1200 and 0x1201) are supported: the key types ES256 and ES384 verify with.
     */
    private static JWK didKey(String did) throws IOException {
        String multibase = did.substring("did:key:".length());
        if (!multibase.startsWith("z")) {
            throw new IOException("a did:key is multibase base58btc, starting with z");
        }
        byte[] bytes = base58(multibase.substring(1));
        Curve curve;
        if (bytes.length == 35 && (bytes[0] & 0xff) == 0x80 && bytes[1] == 0x24) {
            curve = Curve.P_256;
        } else if (bytes.length == 51 && (bytes[0] & 0xff) == 0x81 && bytes[1] == 0x24) {
            curve = Curve.P_384;
        } else {
            throw new IOException("only P-256 and P-384 did:key identifiers are supported (ES256, ES384)");
        }
        byte[] point = Arrays.copyOfRange(bytes, 2, bytes.length);
        return new ECKey.Builder(decompress(curve, point)).keyID(did + "#" + multibase).build();
    }

    /** SEC 1 §2.3.4: y from x and the parity byte, on a curve whose p is 3 mod 4 (P-256, P-384). */
    private static ECKey decompress(Curve curve, byte[] point) throws IOException {
        if (point[0] != 2 && point[0] != 3) {
            throw new IOException("the did:key point is not compressed");
        }
        ECParameterSpec spec = curve.toECParameterSpec();
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, point.length));
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        if (!y.modPow(BigInteger.TWO, p).equals(rhs)) {
            throw new IOException("the did:key point is not on " + curve);
        }
        if (y.testBit(0) != (point[0] == 3)) {
            y = p.subtract(y);
        }
        int size = point.length - 1;
        return new ECKey.Builder(curve, Base64URL.encode(fixed(x, size)), Base64URL.encode(fixed(y, size))).build();
    }

    private static byte[] fixed(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static byte[] base58(String text) throws IOException {
        BigInteger value = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        for (char c : text.toCharArray()) {
            int digit = BASE58.indexOf(c);
            if (digit < 0) {
                throw new IOException("not base58btc: '" + c + "'");
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] bytes = value.signum() == 0 ? new byte[0] : value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + bytes.length - skip];
        System.arraycopy(bytes, skip, out, zeros, bytes.length - skip);
        return out;
    }

    /**
     * did:web method §3.2 "Read": colons become slashes, a percent-encoded port is decoded, and a
     * bare host serves {@code /.well-known/did.json}, a path {@code <path>/did.json}. HTTPS, unless
     * the fetcher allows plain HTTP to the host.
     *
     * @param did a did:web DID
     * @return the DID document's URL
     * @throws IOException if {@code did} is not a well-formed did:web
     */
    public URI didWebUrl(String did) throws IOException {
        if (!DID_WEB.matcher(did).matches()) {
            throw new IOException("not a did:web (did:web:<host>[:<path>]): " + did);
        }
        String[] parts = did.substring("did:web:".length()).split(":");
        String host = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        StringBuilder path = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            path.append('/').append(parts[i]);
        }
        path.append(parts.length == 1 ? "/.well-known/did.json" : "/did.json");
        String hostName = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        String scheme = http.plainHttpAllowed(hostName) ? "http" : "https";
        try {
            return URI.create(scheme + "://" + host + path);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a did:web URL: " + e.getMessage());
        }
    }

    /**
     * The {@code publicKeyJwk}s of the document's verification methods that its
     * {@code assertionMethod} lists (DID Core §5.3.2): only those may sign credentials.
     */
    private List<JWK> didWeb(String did, URI url) throws IOException {
        JsonNode document = document(did, url);
        Set<String> assertion = new HashSet<>();
        List<JsonNode> methods = assertionMethods(did, document, assertion);
        List<JWK> keys = new ArrayList<>();
        for (JsonNode method : methods) {
            String id = absolute(did, StrictJson.string(method.get("id")));
            JsonNode jwk = method.get("publicKeyJwk");
            if (id == null || jwk == null || !jwk.isObject() || !assertion.contains(id)) {
                continue;
            }
            try {
                JWK parsed = JWK.parse(jwk.toString());
                keys.add(withKid(parsed, id));
                // The key's own kid (credpipe's is its {base}/keys/… URL) names it in the issuer's other
                // signatures, e.g. its status lists: the same key, controlled by the same DID.
                if (parsed.getKeyID() != null && !parsed.getKeyID().equals(id) && !parsed.getKeyID().startsWith("did:")) {
                    keys.add(withKid(parsed, parsed.getKeyID()));
                }
            } catch (ParseException e) {
                throw new IOException("verification method " + id + " has no valid publicKeyJwk: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IOException("the DID document lists no assertionMethod with a publicKeyJwk");
        }
        return keys;
    }

    /**
     * The Ed25519 key of a Data Integrity proof's {@code verificationMethod}, a DID URL: for
     * {@code did:key:z6Mk…#z6Mk…} the key the identifier is; for {@code did:web:…#…} the
     * {@code Multikey} (or {@code Ed25519VerificationKey2020}) verification method of that id in the
     * fetched DID document, which must list it under {@code assertionMethod} (DID Core §5.3.2) and
     * name the DID as its {@code controller}.
     *
     * @param verificationMethod the proof's {@code verificationMethod}
     * @return the key and its controller, or why there is none
     */
    public ProofKey proofKey(String verificationMethod) {
        if (verificationMethod == null || !verificationMethod.startsWith("did:") || !verificationMethod.contains("#")) {
            return ProofKey.refused(String.valueOf(verificationMethod), "the verification method " + verificationMethod
                    + " is not a DID URL with a fragment; this verifier resolves did:web and did:key verification methods");
        }
        String did = didOf(verificationMethod);
        String fragment = verificationMethod.substring(verificationMethod.indexOf('#') + 1);
        if (did.startsWith("did:key:")) {
            String multibase = did.substring("did:key:".length());
            if (!multibase.equals(fragment)) {
                return ProofKey.refused(did, "a did:key verification method's fragment must repeat its key (did:key v0.7 §3.1.2)");
            }
            try {
                return new ProofKey(Ed25519Multikey.publicKey(multibase), did, did, null, false);
            } catch (IllegalArgumentException e) {
                return ProofKey.refused(did, "the did:key is not an Ed25519 key: " + e.getMessage());
            }
        }
        if (!did.startsWith("did:web:")) {
            return ProofKey.refused(did, "the DID method of " + did + " is not supported; Data Integrity keys are resolved through did:web and did:key");
        }
        URI url;
        try {
            url = didWebUrl(did);
        } catch (IOException e) {
            return ProofKey.refused(did, e.getMessage());
        }
        String source = "the DID document of " + did + " (" + url + ")";
        JsonNode document;
        try {
            document = document(did, url);
        } catch (IOException e) {
            // The issuer's document could not be had: that says nothing about the credential itself.
            return new ProofKey(null, did, source, "cannot resolve " + did + ": " + e.getMessage(), true);
        }
        Set<String> assertion = new HashSet<>();
        for (JsonNode method : assertionMethods(did, document, assertion)) {
            if (!verificationMethod.equals(absolute(did, StrictJson.string(method.get("id"))))) {
                continue;
            }
            if (!assertion.contains(verificationMethod)) {
                return ProofKey.refused(source, "the DID document does not list " + verificationMethod + " under assertionMethod");
            }
            String type = StrictJson.string(method.get("type"));
            if (!"Multikey".equals(type) && !"Ed25519VerificationKey2020".equals(type)) {
                return ProofKey.refused(source, verificationMethod + " is a " + type + ", not a Multikey");
            }
            if (!did.equals(absolute(did, StrictJson.string(method.get("controller"))))) {
                return ProofKey.refused(source, verificationMethod + " is controlled by " + method.get("controller") + ", not by " + did);
            }
            try {
                return new ProofKey(Ed25519Multikey.publicKey(StrictJson.string(method.get("publicKeyMultibase"))), did, source, null, false);
            } catch (IllegalArgumentException e) {
                return ProofKey.refused(source, verificationMethod + " has no Ed25519 publicKeyMultibase: " + e.getMessage());
            }
        }
        return ProofKey.refused(source, "the DID document has no verification method " + verificationMethod);
    }

    /**
     * The key of a Data Integrity proof, or why there is none.
     *
     * @param key        the Ed25519 public key, {@code null} on failure
     * @param controller the DID that controls it
     * @param source     where it came from, for people
     * @param failure    what went wrong, {@code null} on success
     * @param undecided  whether the failure is only that the DID document could not be had
     */
    public record ProofKey(PublicKey key, String controller, String source, String failure, boolean undecided) {
        static ProofKey refused(String source, String failure) {
            return new ProofKey(null, null, source, failure, false);
        }
    }

    private JsonNode document(String did, URI url) throws IOException {
        JsonNode saved = given.get(did);
        if (saved != null) {
            return saved;
        }
        HttpFetch.Result fetched = http.get(url, "application/did+json, application/json;q=0.9");
        if (!fetched.ok()) {
            throw new IOException(fetched.failure());
        }
        JsonNode document;
        try {
            document = StrictJson.read(fetched.body());
        } catch (IOException e) {
            throw new IOException("the DID document is not JSON: " + StrictJson.oneLine(e.getMessage()));
        }
        if (document == null || !document.isObject()) {
            throw new IOException("the DID document is not a JSON object");
        }
        if (!did.equals(StrictJson.string(document.get("id")))) {
            // DID Core §7.1.2: the resolved document's id must be the DID resolved.
            throw new IOException("the DID document's id " + document.get("id") + " is not " + did);
        }
        return document;
    }

    /** Every verification method of {@code document}, with the ids its {@code assertionMethod} lists added to {@code assertion}. */
    private static List<JsonNode> assertionMethods(String did, JsonNode document, Set<String> assertion) {
        List<JsonNode> methods = new ArrayList<>(StrictJson.items(document.get("verificationMethod")));
        for (JsonNode item : StrictJson.items(document.get("assertionMethod"))) {
            if (item.isTextual()) {
                assertion.add(absolute(did, item.asText()));
            } else if (item.isObject()) {
                methods.add(item);
                assertion.add(absolute(did, StrictJson.string(item.get("id"))));
            }
        }
        return methods;
    }

    private static String absolute(String did, String id) {
        if (id == null) {
            return null;
        }
        return id.startsWith("#") ? did + id : id;
    }

    private static JWK withKid(JWK jwk, String kid) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(jwk.toPublicJWK().toJSONObject());
        json.put("kid", kid);
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IOException(e.getMessage());
        }
    }
}
