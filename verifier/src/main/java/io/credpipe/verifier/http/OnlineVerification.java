package io.credpipe.verifier.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.credential.DidWeb;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.json.Json;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.CredentialVerifier;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.VerificationReport;
import io.credpipe.verifier.fetch.FetchCache;
import io.credpipe.verifier.fetch.HttpFetch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies what an employer hands over — a compact JWS, a credential URL, or an unsecured JSON
 * credential — the way a stranger to the issuer would: the issuer's public keys are found from the
 * credential itself and fetched, as are its status lists, all through one {@link FetchPolicy}.
 *
 * <p>Where the keys are: a credpipe {@code kid} is the URL {@code {base}/keys/{thumbprint}} of the
 * key under the issuer's public base URL (DESIGN.md "Identifiers"), and the issuer publishes all its
 * keys at {@code {base}/.well-known/jwks.json}. So when the {@code kid} is such a URL on the same
 * origin as {@code iss}, the JWKS is {@code {base}/.well-known/jwks.json}; otherwise it is
 * {@code /.well-known/jwks.json} at the origin of {@code iss} (of the https URL a {@code did:web}
 * {@code iss} names). Reading {@code iss} and {@code kid}
 * before the signature is checked is safe: keys fetched from the issuer's own origin only verify
 * what that origin's holder signed, and the page shows that issuer.
 */
public final class OnlineVerification {

    /** How many redirects a credential fetch follows, each one checked against the policy. */
    private static final int MAX_REDIRECTS = 3;
    private static final String ACCEPT_JWT = "application/vc+jwt, application/jwt, */*;q=0.1";

    private final FetchPolicy policy;
    private final Duration timeout;
    private final StatusListSource statusLists;
    private final ObjectMapper mapper = Json.newMapper();
    private volatile HttpClient client;

    /**
     * Creates a verification service.
     *
     * @param policy  which URLs may be fetched
     * @param timeout how long each fetch may take
     */
    public OnlineVerification(FetchPolicy policy, Duration timeout) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        StatusListSource http = StatusListSource.fetchedWith(new HttpFetch(timeout, policy.plainHttpHosts(), new FetchCache(Clock.systemUTC())));
        this.statusLists = url -> {
            Optional<String> refusal = policy.refusal(url);
            if (refusal.isPresent()) {
                throw new IOException(refusal.get());
            }
            return http.fetch(url);
        };
    }

    /**
     * Verifies what was handed over.
     *
     * @param input the credential, its URL, or an unsecured JSON credential
     * @return the report
     */
    public VerificationReport verify(CredentialInput input) {
        if (input instanceof CredentialInput.Jws jws) {
            return verifyJws(jws.token());
        }
        if (input instanceof CredentialInput.Url url) {
            return verifyUrl(url.url());
        }
        if (input instanceof CredentialInput.Embedded embedded) {
            return verifyEmbedded(embedded.json());
        }
        return unsecured(((CredentialInput.Unsecured) input).embeddedProof(), List.of());
    }

    /** A Data Integrity credential: its key is found through the DID its proof names, under the policy. */
    private VerificationReport verifyEmbedded(String json) {
        CredentialVerifier.Builder builder = CredentialVerifier.builder().httpTimeout(timeout).statusLists(statusLists)
                .resolveDids(true);
        policy.plainHttpHosts().forEach(builder::allowHttpHost);
        return builder.build().verifyText(json);
    }

    private VerificationReport verifyJws(String token) {
        CredentialVerifier.Builder builder = CredentialVerifier.builder().httpTimeout(timeout).statusLists(statusLists);
        // The library applies the policy to the keys it fetches (plain HTTP only to the hosts named)
        // and reports a refused fetch as its own undecided trusted-keys check.
        policy.plainHttpHosts().forEach(builder::allowHttpHost);
        URI jwks;
        try {
            jwks = jwksOf(token);
        } catch (IllegalArgumentException e) {
            // No key location in the token: a JWKS "file" that cannot be read gives the verifier's own
            // failed trusted-keys check (after the checks of the token's form), whose detail then says why.
            VerificationReport report = builder.trustedKeys(Path.of("")).build().verify(token);
            String reason = "the issuer's keys cannot be found: " + e.getMessage();
            List<Check> checks = report.checks().stream()
                    .map(c -> c.name().equals(Check.TRUSTED_KEYS) && c.isFailed() ? new Check(c.name(), c.outcome(), reason) : c)
                    .toList();
            return new VerificationReport(checks, report.summary(), report.bundled());
        }
        return builder.trustedKeys(jwks).build().verify(token);
    }

    private VerificationReport verifyUrl(URI url) {
        Fetched fetched = fetch(url);
        if (fetched.failure() != null) {
            List<Check> checks = new ArrayList<>();
            checks.add(new Check(Check.INPUT, Check.Outcome.FAILED, "cannot fetch the credential: " + fetched.failure()));
            checks.add(new Check(Check.SIGNATURE, Check.Outcome.SKIPPED, "not checked: the credential could not be read"));
            return new VerificationReport(checks, Optional.empty());
        }
        Check input = new Check(Check.INPUT, Check.Outcome.PASSED, "fetched " + fetched.body().length + " bytes from " + url);
        String text = new String(fetched.body(), StandardCharsets.UTF_8);
        CredentialInput content;
        try {
            content = CredentialInput.fromText(text);
        } catch (RuntimeException e) {
            content = new CredentialInput.Jws(text.strip());
        }
        if (content instanceof CredentialInput.Url) {
            // A document naming another URL is not a credential; following it would be an open relay.
            content = new CredentialInput.Jws(text.strip());
        }
        VerificationReport report = verify(content);
        List<Check> checks = new ArrayList<>();
        checks.add(input);
        checks.addAll(report.checks());
        return new VerificationReport(checks, report.summary(), report.bundled());
    }

    private static VerificationReport unsecured(boolean embeddedProof, List<Check> before) {
        List<Check> checks = new ArrayList<>(before);
        checks.add(new Check(Check.COMPACT_JWS, Check.Outcome.FAILED, embeddedProof
                ? "not secured by a JWT proof: the credential carries an embedded (Data Integrity) proof, which this "
                        + "verifier does not check; it verifies the JSON Web Token proof format (OB 3.0 §8.2)"
                : "not secured: no proof. A plain JSON credential can be written by anyone; a verifiable credential "
                        + "carries a proof (OB 3.0 §8), e.g. as a .jwt file"));
        checks.add(new Check(Check.SIGNATURE, Check.Outcome.SKIPPED, "not checked: the credential carries no JWT proof"));
        return new VerificationReport(checks, Optional.empty());
    }

    /**
     * The issuer's JWKS URL for a token, from its unverified {@code iss} and {@code kid} (see the
     * class comment).
     *
     * @param token a compact JWS
     * @return the JWKS URL
     * @throws IllegalArgumentException with a sentence for people when it cannot be told
     */
    URI jwksOf(String token) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the credential is not a compact JWS");
        }
        JsonNode header;
        JsonNode payload;
        try {
            header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            payload = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the credential's header or payload is not base64url JSON");
        }
        String iss = payload == null ? "" : payload.path("iss").asText("");
        // A did:web issuer (credpipe's since issue 15) publishes its keys on the https origin its DID
        // names (DID Method Web §3.2): the same host serves the DID document and the JWKS.
        URI issuer = httpUrl(iss).or(() -> DidWeb.baseUrl(iss)).orElseThrow(() -> new IllegalArgumentException(
                "the credential's issuer (iss) " + (iss.isEmpty() ? "is missing" : "\"" + iss + "\" is neither an http(s) URL nor a did:web DID")));
        String origin = origin(issuer);
        String kid = header == null ? "" : header.path("kid").asText("");
        Optional<URI> key = httpUrl(kid);
        int keys = kid.lastIndexOf("/keys/");
        // A DID names a host and port, not a scheme: an issuer on plain http (a local run, which a
        // fetch reaches only when the policy allows that host) keeps its keys on its own origin.
        boolean sameIssuerHost = key.isPresent() && (origin(key.get()).equals(origin)
                || !httpUrl(iss).isPresent() && key.get().getRawAuthority().equalsIgnoreCase(issuer.getRawAuthority()));
        if (sameIssuerHost && keys > origin(key.get()).length() - 1) {
            return URI.create(kid.substring(0, keys) + "/.well-known/jwks.json");
        }
        return URI.create(origin + "/.well-known/jwks.json");
    }

    private static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // not a URL
        }
        return Optional.empty();
    }

    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    private record Fetched(byte[] body, String failure) {}

    /** GETs a credential, following redirects only where the policy allows. */
    private Fetched fetch(URI url) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Optional<String> refusal = policy.refusal(current);
            if (refusal.isPresent()) {
                return new Fetched(null, refusal.get());
            }
            HttpRequest request = HttpRequest.newBuilder(current).timeout(timeout).header("Accept", ACCEPT_JWT).GET().build();
            try {
                HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    int status = response.statusCode();
                    if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                        current = current.resolve(response.headers().firstValue("Location").get());
                        continue;
                    }
                    if (status != 200) {
                        return new Fetched(null, "HTTP " + status + " from " + current);
                    }
                    byte[] bytes = body.readNBytes(CredentialInput.MAX_BYTES + 1);
                    if (bytes.length > CredentialInput.MAX_BYTES) {
                        return new Fetched(null, current + " answered with more than " + CredentialInput.MAX_BYTES + " bytes");
                    }
                    return new Fetched(bytes, null);
                }
            } catch (HttpTimeoutException e) {
                return new Fetched(null, "no answer from " + current.getHost() + " within " + timeout.toSeconds() + " s");
            } catch (IOException e) {
                return new Fetched(null, "cannot connect to " + current.getHost()
                        + (current.getPort() < 0 ? "" : ":" + current.getPort()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Fetched(null, "interrupted while fetching " + current);
            } catch (IllegalArgumentException e) {
                return new Fetched(null, "cannot fetch " + current);
            }
        }
        return new Fetched(null, "more than " + MAX_REDIRECTS + " redirects from " + url);
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // Redirects are followed by hand, so each hop is checked against the policy.
                    client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
                }
                c = client;
            }
        }
        return c;
    }
}
