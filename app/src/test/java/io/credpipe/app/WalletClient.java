package io.credpipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.credpipe.model.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The tests' own OpenID4VCI wallet, written from the specification, for the paths a well-behaved
 * wallet library never takes: replays, wrong codes, stale nonces, proofs for another audience or
 * signed by another key.
 */
final class WalletClient {

    /** An HTTP answer with its JSON body (null when it had none). */
    record Answer(int status, JsonNode json, HttpResponse<String> response) {
        String error() {
            return json == null ? null : json.path("error").asText(null);
        }
    }

    /** What the "Add to wallet" page showed. */
    record PageOffer(String offerLink, String credentialOfferUri, String txCode) {}

    private static final Pattern OFFER_LINK = Pattern.compile("id=\"offer-link\" href=\"([^\"]+)\"");
    private static final Pattern TX_CODE = Pattern.compile("id=\"tx-code\">([0-9]+)<");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();

    /** Reads the offer link and transaction code off a wallet page's HTML. */
    static PageOffer parsePage(String html) {
        Matcher link = OFFER_LINK.matcher(html);
        if (!link.find()) {
            throw new AssertionError("no offer link on the page");
        }
        String offerLink = link.group(1).replace("&amp;", "&");
        Matcher tx = TX_CODE.matcher(html);
        return new PageOffer(offerLink, offerUri(offerLink), tx.find() ? tx.group(1) : null);
    }

    /** The {@code credential_offer_uri} of an {@code openid-credential-offer://} link. */
    static String offerUri(String offerLink) {
        String query = offerLink.substring(offerLink.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            if (pair.startsWith("credential_offer_uri=")) {
                return URLDecoder.decode(pair.substring("credential_offer_uri=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no credential_offer_uri in " + offerLink);
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    Answer getJson(String url) throws Exception {
        return answer(get(url));
    }

    /** A token request (OpenID4VCI 1.0 §6.1); {@code txCode} null leaves it out. */
    Answer token(String tokenEndpoint, String code, String txCode) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:pre-authorized_code");
        form.put("pre-authorized_code", code);
        if (txCode != null) {
            form.put("tx_code", txCode);
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return answer(http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    Answer nonce(String nonceEndpoint) throws Exception {
        return answer(http.send(HttpRequest.newBuilder(URI.create(nonceEndpoint))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A credential request (§8.2) with one jwt proof. */
    Answer credential(String credentialEndpoint, String accessToken, String configurationId, String proof)
            throws Exception {
        var request = mapper.createObjectNode();
        request.put("credential_configuration_id", configurationId);
        request.putObject("proofs").putArray("jwt").add(proof);
        return postJson(credentialEndpoint, accessToken, request.toString());
    }

    Answer postJson(String url, String accessToken, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * A key proof (Appendix F.1) naming {@code named} in its {@code jwk} header, signed by {@code signer}
     * (the same key for an honest proof).
     */
    static String proof(ECKey named, ECKey signer, String audience, String nonce, Instant issuedAt) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("openid4vci-proof+jwt"))
                .jwk(named.toPublicJWK()).build();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().audience(audience).issueTime(Date.from(issuedAt));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private Answer answer(HttpResponse<String> response) {
        JsonNode json = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json") && !response.body().isEmpty()) {
            try {
                json = mapper.readTree(response.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }
        return new Answer(response.statusCode(), json, response);
    }
}
