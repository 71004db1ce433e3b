package io.credpipe.verifier.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import io.credpipe.verifier.TestIssuer;
import io.credpipe.verifier.fuzz.Mutant.Expect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mutations of a genuine compact JWS credential (OB 3.0 §8.2): flipped characters in each segment,
 * broken structure, the header tricks of RFC 8725 §2 ({@code alg: none}, HS256 keyed with the
 * public key, an algorithm switch, keys named or carried by {@code kid}, {@code jwk}, {@code jku},
 * {@code x5u}, and {@code crit}), and payload changes unsigned, signed by an attacker, or signed by
 * the issuer but wrong. None of them may verify.
 */
public final class JwtMutations {

    static final List<String> KINDS = List.of("jwt.flip.header", "jwt.flip.payload", "jwt.flip.signature",
            "jwt.structure", "jwt.alg-none", "jwt.hs256-public-key", "jwt.alg-switch", "jwt.key-injection", "jwt.crit",
            "jwt.payload.unsigned", "jwt.payload.attacker-signed", "jwt.payload.issuer-signed-invalid");

    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String ODD = "+/=. \n\u00e9\u0000%";

    private final Random random;
    private final SignedSeeds seeds;
    private final JsonEdits edits;
    /** Whether re-signing with the issuer's key is allowed (not when the issuer is someone else's server). */
    private final boolean issuerSigns;

    /**
     * @param random      the seeded source of every choice
     * @param seeds       the keys (the issuer's are only used when {@code issuerSigns})
     * @param issuerSigns whether mutations may be signed by the seeds' issuer key, i.e. the token
     *                    mutated is that issuer's
     */
    public JwtMutations(Random random, SignedSeeds seeds, boolean issuerSigns) {
        this.random = random;
        this.seeds = seeds;
        this.edits = new JsonEdits(random);
        this.issuerSigns = issuerSigns;
    }

    /** A random mutation of {@code token}, a genuine compact JWS whose header names {@code kid}. */
    public Mutant mutate(String token) {
        String[] parts = token.split("\\.", -1);
        String kind = KINDS.get(random.nextInt(issuerSigns ? KINDS.size() : KINDS.size() - 1));
        ObjectNode header = (ObjectNode) read(parts[0]);
        ObjectNode payload = (ObjectNode) read(parts[1]);
        String detail = null;
        String text = switch (kind) {
            case "jwt.flip.header" -> flip(parts, 0);
            case "jwt.flip.payload" -> flip(parts, 1);
            case "jwt.flip.signature" -> flip(parts, 2);
            case "jwt.structure" -> structure(parts, token);
            case "jwt.alg-none" -> algNone(header, parts);
            case "jwt.hs256-public-key" -> hs256(header, parts[1]);
            case "jwt.alg-switch" -> algSwitch(header, parts);
            case "jwt.key-injection" -> keyInjection(header, parts);
            case "jwt.crit" -> crit(header, parts[1]);
            case "jwt.payload.unsigned" -> {
                edits.content(payload);
                yield parts[0] + "." + TestIssuer.b64(payload.toString()) + "." + parts[2];
            }
            case "jwt.payload.attacker-signed" -> {
                edits.content(payload);
                yield seeds.attackerSigned(reHeader(header), payload.toString());
            }
            default -> {
                detail = edits.invalidating(payload, true);
                yield seeds.issuerSigned(payload);
            }
        };
        return new Mutant(detail == null ? kind : kind + ":" + detail, text, Expect.NOT_VERIFIED);
    }

    /** One character of a segment replaced: by another base64url character mostly, else by one that is not. */
    private String flip(String[] parts, int segment) {
        String[] copy = parts.clone();
        String part = copy[segment];
        if (part.isEmpty()) {
            copy[segment] = "A";
        } else {
            int at = random.nextInt(part.length());
            String alphabet = random.nextInt(8) == 0 ? ODD : B64URL;
            char c;
            do {
                c = alphabet.charAt(random.nextInt(alphabet.length()));
            } while (c == part.charAt(at));
            copy[segment] = part.substring(0, at) + c + part.substring(at + 1);
        }
        return String.join(".", copy);
    }

    private String structure(String[] parts, String token) {
        return switch (random.nextInt(8)) {
            case 0 -> token.substring(0, random.nextInt(token.length()));
            case 1 -> parts[0] + "." + parts[1] + ".";
            case 2 -> parts[0] + "." + parts[1];
            case 3 -> token + "." + parts[2];
            case 4 -> parts[1] + "." + parts[0] + "." + parts[2];
            case 5 -> parts[0] + "." + parts[1] + "." + parts[2] + parts[2].substring(0, 4);
            case 6 -> parts[0] + "=." + parts[1] + "." + parts[2];
            default -> parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1 - random.nextInt(8));
        };
    }

    private String algNone(ObjectNode header, String[] parts) {
        ObjectNode none = header.deepCopy();
        String[] spellings = {"none", "None", "NONE", "nOnE"};
        none.put("alg", spellings[random.nextInt(spellings.length)]);
        String signature = random.nextBoolean() ? "" : parts[2];
        return TestIssuer.b64(none.toString()) + "." + parts[1] + "." + signature;
    }

    /** RFC 8725 §2.1: an HMAC keyed with the issuer's public key, in each form a verifier might hold it. */
    private String hs256(ObjectNode header, String payload) {
        ObjectNode hs = header.deepCopy();
        String[] algs = {"HS256", "HS384", "HS512"};
        String alg = algs[random.nextInt(algs.length)];
        hs.put("alg", alg);
        String kid = header.path("kid").asText();
        JWK key = kid.equals(TestIssuer.RSA_KID) ? seeds.issuer.rsaKey.toPublicJWK() : seeds.issuer.ecKey.toPublicJWK();
        byte[] secret;
        try {
            byte[] der = (key instanceof com.nimbusds.jose.jwk.RSAKey rsa ? rsa.toPublicKey() : key.toECKey().toPublicKey()).getEncoded();
            secret = switch (random.nextInt(3)) {
                case 0 -> key.toJSONString().getBytes(StandardCharsets.UTF_8);
                case 1 -> der;
                default -> ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
            };
            String input = TestIssuer.b64(hs.toString()) + "." + payload;
            String javaName = "Hmac" + "SHA" + alg.substring(2);
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(secret, javaName));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String algSwitch(ObjectNode header, String[] parts) {
        ObjectNode switched = header.deepCopy();
        String[] algs = {"ES256", "ES384", "ES512", "RS256", "RS512", "PS256", "EdDSA", "ES256K", "RSA-OAEP", "dir"};
        String alg;
        do {
            alg = algs[random.nextInt(algs.length)];
        } while (alg.equals(header.path("alg").asText()));
        switched.put("alg", alg);
        return TestIssuer.b64(switched.toString()) + "." + parts[1] + "." + parts[2];
    }

    /** A key named, carried or pointed at by the header; the token signed by the attacker unless it keeps the genuine signature. */
    private String keyInjection(ObjectNode header, String[] parts) {
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String realKid = header.path("kid").asText();
        JWSHeader.Builder attacker = SignedSeeds.es256Header(seeds.attackerEc.getKeyID());
        switch (random.nextInt(9)) {
            case 0 -> {
                // The other trusted key's kid over the genuine signature.
                ObjectNode other = header.deepCopy();
                other.put("kid", realKid.equals(TestIssuer.EC_KID) ? TestIssuer.RSA_KID : TestIssuer.EC_KID);
                return TestIssuer.b64(other.toString()) + "." + parts[1] + "." + parts[2];
            }
            case 1 -> {
                return seeds.attackerSigned(SignedSeeds.es256Header(realKid).build(), payload);
            }
            case 2 -> {
                return seeds.attackerSigned(attacker.jwk(seeds.attackerEc.toPublicJWK()).build(), payload);
            }
            case 3 -> {
                return seeds.attackerSigned(SignedSeeds.es256Header(realKid).jwk(seeds.attackerEc.toPublicJWK()).build(), payload);
            }
            case 4 -> {
                return seeds.attackerSigned(attacker.jwkURL(URI.create("https://attacker.example/jwks.json")).build(), payload);
            }
            case 5 -> {
                return seeds.attackerSigned(SignedSeeds.es256Header(realKid).x509CertURL(URI.create("https://attacker.example/cert.pem")).build(), payload);
            }
            case 6 -> {
                String didJwk = "did:jwk:" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        seeds.attackerEc.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
                return seeds.attackerSigned(SignedSeeds.es256Header(didJwk + "#0").build(), payload);
            }
            case 7 -> {
                ObjectNode odd = header.deepCopy();
                JsonNode[] kids = {TestIssuer.JSON.getNodeFactory().textNode(""), TestIssuer.JSON.getNodeFactory().numberNode(1),
                        TestIssuer.JSON.getNodeFactory().nullNode(), TestIssuer.JSON.createArrayNode().add(realKid),
                        TestIssuer.JSON.getNodeFactory().textNode(realKid + "\u0000"),
                        TestIssuer.JSON.getNodeFactory().textNode(realKid.toUpperCase(java.util.Locale.ROOT))};
                odd.set("kid", kids[random.nextInt(kids.length)]);
                return TestIssuer.b64(odd.toString()) + "." + parts[1] + "." + parts[2];
            }
            default -> {
                ObjectNode dropped = header.deepCopy();
                dropped.remove("kid");
                return TestIssuer.b64(dropped.toString()) + "." + parts[1] + "." + parts[2];
            }
        }
    }

    /** RFC 7515 §4.1.11: a critical parameter the verifier does not understand, signed by the issuer where it may. */
    private String crit(ObjectNode header, String payloadSegment) {
        String payload = new String(Base64.getUrlDecoder().decode(payloadSegment), StandardCharsets.UTF_8);
        JWSHeader.Builder builder = new JWSHeader.Builder(JWSAlgorithm.parse(header.path("alg").asText()))
                .keyID(header.path("kid").asText()).type(com.nimbusds.jose.JOSEObjectType.JWT)
                .criticalParams(java.util.Set.of("x-credpipe-must-understand")).customParam("x-credpipe-must-understand", true);
        if (issuerSigns && header.path("alg").asText().equals("ES256")) {
            return TestIssuer.sign(builder.build(), payload, seeds.issuer.ecSigner());
        }
        if (issuerSigns) {
            return TestIssuer.sign(builder.build(), payload, seeds.issuer.rsaSigner());
        }
        return seeds.attackerSigned(SignedSeeds.es256Header(seeds.attackerEc.getKeyID())
                .criticalParams(java.util.Set.of("x-credpipe-must-understand")).customParam("x-credpipe-must-understand", true).build(), payload);
    }

    private static JWSHeader reHeader(ObjectNode header) {
        return SignedSeeds.es256Header(header.path("kid").asText()).build();
    }

    static JsonNode read(String segment) {
        try {
            return TestIssuer.JSON.readTree(Base64.getUrlDecoder().decode(segment));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
