package io.credpipe.verifier.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.Ed25519Multikey;
import io.credpipe.model.integrity.EddsaRdfc2022;

/**
 * A credpipe-like issuer on 127.0.0.1 for tests of the page and the API: it publishes its JWKS at
 * {@code /.well-known/jwks.json}, serves credentials at {@code /credentials/{name}} and status lists at
 * {@code /status/{name}}, and signs them as the issuer does (ES256, {@code kid} {@code {base}/keys/…}).
 * Each {@link Case} is one credential an employer may be handed.
 */
final class LocalIssuer implements AutoCloseable {

    /** The credentials the tests verify, each served at {@code /credentials/{id}}. */
    enum Case {
        VALID, REVOKED, SUSPENDED, EXPIRED, TAMPERED, WRONG_KEY, STATUS_UNREACHABLE, STATUS_TAMPERED;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    static final int ENTRIES = 131_072;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String base;
    private final ECKey key;
    private final ECKey impostor;
    private final Map<String, String> served = new ConcurrentHashMap<>();
    private java.security.KeyPair dataIntegrityKey;

    LocalIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(base + "/keys/issuer-key-1").generate();
            impostor = new ECKeyGenerator(Curve.P_256).keyID(base + "/keys/someone-elses-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        served.put("/.well-known/jwks.json", new JWKSet(key.toPublicJWK()).toString(true));
        server.createContext("/", exchange -> {
            String body = served.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", body == null ? "text/plain" : "application/jwt");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        publish();
    }

    String base() {
        return base;
    }

    /** Where a case's credential is served. */
    String url(Case c) {
        return base + "/credentials/" + c.id();
    }

    /** A case's credential, as served. */
    String jws(Case c) {
        return served.get("/credentials/" + c.id());
    }

    /** A credential signed with the issuer's key. */
    String signed(ObjectNode credential) {
        return sign(key, payload(credential));
    }

    /**
     * A case's credential in its Data Integrity form: the same JSON with an eddsa-rdfc-2022 proof by
     * an Ed25519 key that the issuer's {@code did:web} document (served at {@code /.well-known/did.json},
     * beside the JWT key, as credpipe's is) lists.
     */
    ObjectNode dataIntegrityCredential(Case c) {
        try {
            if (dataIntegrityKey == null) {
                dataIntegrityKey = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                ObjectNode document = JSON.createObjectNode().put("id", did());
                ArrayNode methods = document.putArray("verificationMethod");
                methods.addObject().put("id", did() + "#es256").put("type", "JsonWebKey2020").put("controller", did())
                        .set("publicKeyJwk", JSON.readTree(key.toPublicJWK().toJSONString()));
                methods.addObject().put("id", dataIntegrityMethod()).put("type", "Multikey").put("controller", did())
                        .put("publicKeyMultibase", Ed25519Multikey.publicKeyMultibase(dataIntegrityKey.getPublic()));
                document.putArray("assertionMethod").add(did() + "#es256").add(dataIntegrityMethod());
                served.put("/.well-known/did.json", document.toString());
            }
            ObjectNode credential = parse(jws(c).split("\\.")[1]);
            credential.remove(List.of("iss", "jti", "sub", "nbf", "exp"));
            return new EddsaRdfc2022(BundledContexts.standard()).sign(credential, dataIntegrityMethod(), Instant.now(),
                    dataIntegrityKey.getPrivate());
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String did() {
        return "did:web:127.0.0.1%3A" + server.getAddress().getPort();
    }

    private String dataIntegrityMethod() {
        return did() + "#" + Ed25519Multikey.publicKeyMultibase(dataIntegrityKey.getPublic());
    }

    /** Serves something else at a path, e.g. a credential the test built. */
    void serve(String path, String body) {
        served.put(path, body);
    }

    private void publish() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant issued = now.minus(Duration.ofDays(30));
        Instant expires = now.plus(Duration.ofDays(3 * 365));
        // One revocation list and one suspension list, as W3C Bitstring Status List v1.0 §2.1 defines them.
        served.put("/status/revocation", sign(key, listPayload("revocation", Map.of(Case.REVOKED.ordinal(), true), now)));
        served.put("/status/suspension", sign(key, listPayload("suspension", Map.of(Case.SUSPENDED.ordinal(), true), now)));
        String genuineList = sign(key, listPayload("revocation", Map.of(), now));
        // Flip one payload character so the signature no longer matches.
        String[] parts = genuineList.split("\\.");
        ObjectNode altered = parse(parts[1]);
        altered.put("validFrom", now.minus(Duration.ofDays(2)).toString());
        served.put("/status/tampered", parts[0] + "." + b64(altered.toString()) + "." + parts[2]);

        for (Case c : Case.values()) {
            ObjectNode credential = credential(c, c == Case.EXPIRED ? now.minus(Duration.ofDays(400)) : issued,
                    c == Case.EXPIRED ? now.minus(Duration.ofDays(35)) : expires);
            String list = switch (c) {
                case SUSPENDED -> "suspension";
                case STATUS_UNREACHABLE -> "missing";
                case STATUS_TAMPERED -> "tampered";
                default -> "revocation";
            };
            ObjectNode entry = credential.putObject("credentialStatus");
            entry.put("id", base + "/status/" + list + "#" + c.ordinal());
            entry.put("type", "BitstringStatusListEntry");
            entry.put("statusPurpose", c == Case.SUSPENDED ? "suspension" : "revocation");
            entry.put("statusListIndex", Integer.toString(c.ordinal()));
            entry.put("statusListCredential", base + "/status/" + list);
            String jws = sign(c == Case.WRONG_KEY ? impostor : key, payload(credential));
            if (c == Case.TAMPERED) {
                // The holder "upgrades" the level: the signature no longer matches the payload.
                String[] segments = jws.split("\\.");
                ObjectNode changed = parse(segments[1]);
                ((ObjectNode) changed.at("/credentialSubject/achievement")).put("name", "Chemical Plant and System Operators — Advanced");
                jws = segments[0] + "." + b64(changed.toString()) + "." + segments[2];
            }
            served.put("/credentials/" + c.id(), jws);
        }
    }

    /** The verifier module's test credential (Dana Ruiz, Proficient), issued by this issuer. */
    ObjectNode credential(Case c, Instant validFrom, Instant validUntil) {
        String text;
        try (InputStream in = LocalIssuer.class.getResourceAsStream("/io/credpipe/verifier/competency-credential.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode credential = parse(b64(text.replace("https://credentials.example.com", base)));
        credential.put("id", base + "/credentials/" + c.id());
        credential.put("validFrom", validFrom.toString());
        credential.put("validUntil", validUntil.toString());
        // Only the framework's statements and the occupation, as credpipe aligns them.
        ArrayNode alignments = (ArrayNode) credential.at("/credentialSubject/achievement/alignment");
        for (int i = alignments.size() - 1; i >= 0; i--) {
            String type = alignments.get(i).path("targetType").asText();
            if (!type.equals("ext:CompetencyStatement") && !type.equals("ext:Occupation")) {
                alignments.remove(i);
            }
        }
        return credential;
    }

    /** The JWT payload: the credential plus iss, jti, sub, nbf and exp (OB 3.0 §8.2.4.1). */
    static ObjectNode payload(ObjectNode credential) {
        ObjectNode payload = credential.deepCopy();
        payload.put("iss", credential.at("/issuer/id").asText());
        payload.put("jti", credential.get("id").asText());
        if (credential.at("/credentialSubject/id").isTextual()) {
            payload.put("sub", credential.at("/credentialSubject/id").asText());
        }
        payload.put("nbf", Instant.parse(credential.get("validFrom").asText()).getEpochSecond());
        if (credential.has("validUntil")) {
            payload.put("exp", Instant.parse(credential.get("validUntil").asText()).getEpochSecond());
        }
        return payload;
    }

    private ObjectNode listPayload(String purpose, Map<Integer, Boolean> set, Instant now) {
        String url = base + "/status/" + (purpose.equals("suspension") ? "suspension" : "revocation");
        ObjectNode list = JSON.createObjectNode();
        list.putArray("@context").add("https://www.w3.org/ns/credentials/v2");
        list.put("id", url);
        list.putArray("type").add("VerifiableCredential").add("BitstringStatusListCredential");
        list.putObject("issuer").put("id", base + "/issuer").put("name", "Example Plant Training Center");
        list.put("validFrom", now.minus(Duration.ofDays(1)).toString());
        ObjectNode subject = list.putObject("credentialSubject");
        subject.put("id", url + "#list");
        subject.put("type", "BitstringStatusList");
        subject.put("statusPurpose", purpose);
        byte[] bits = new byte[ENTRIES / 8];
        set.forEach((index, on) -> bits[index / 8] |= (byte) (0x80 >>> (index % 8)));
        subject.put("encodedList", encode(bits));
        ObjectNode payload = list.deepCopy();
        payload.put("iss", base + "/issuer");
        payload.put("sub", url + "#list");
        payload.put("jti", url);
        payload.put("nbf", now.minus(Duration.ofDays(1)).getEpochSecond());
        return payload;
    }

    /** The list's id must match where it is served from, so the tampered list is a copy of the genuine one. */
    private static String encode(byte[] bits) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(compressed.toByteArray());
    }

    static String sign(ECKey signer, ObjectNode payload) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.getKeyID())
                .type(JOSEObjectType.JWT).build(), new Payload(payload.toString()));
        try {
            jws.sign(new ECDSASigner(signer));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode parse(String base64url) {
        try {
            return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(base64url));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
