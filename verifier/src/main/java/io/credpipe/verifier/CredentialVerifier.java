package io.credpipe.verifier;

import io.credpipe.model.integrity.BundledContexts;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.credential.CredentialSchemas;
import io.credpipe.verifier.fetch.FetchCache;
import io.credpipe.verifier.fetch.HttpFetch;
import io.credpipe.verifier.jws.Algorithms;
import io.credpipe.verifier.jws.TrustedKeys;
import io.credpipe.verifier.jws.DidResolver;
import io.credpipe.verifier.jws.KeySource;
import io.credpipe.verifier.status.StatusListSource;
import io.credpipe.verifier.status.VerifiedLists;
import io.credpipe.verifier.status.StatusStanding;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies Open Badges 3.0 credentials secured with the JSON Web Token proof format (OB 3.0 §8.2)
 * using public material only: the issuer's public keys, from a JWK set, a JWKS file or a JWKS URL,
 * or, with {@link Builder#resolveDids(boolean)}, from the DID a {@code kid} names (did:web, did:key, did:jwk).
 *
 * <p>Verification follows OB 3.0 §8.2.6 "Verify a Credential" and §9.1 "OpenBadgeCredential
 * Verification": the compact JWS is parsed, its algorithm and header checked, the key named by
 * {@code kid} looked up among the trusted keys, the signature verified (RFC 7515 §5.2), and only
 * then is the payload read as a credential and its registered claims compared with it
 * ({@code iss}, {@code jti}, {@code sub}, {@code nbf}, {@code exp}) and its validity period with
 * the clock. Every step becomes a {@link Check} of the returned {@link VerificationReport}; no
 * malformed or hostile input makes {@code verify} throw.
 *
 * <p>Accepted algorithms are the RSA ({@code RS256/384/512}, {@code PS256/384/512}) and ECDSA
 * ({@code ES256/384/512}) signatures. {@code none} and the HMAC algorithms are refused because
 * they prove nothing about the issuer; {@code EdDSA} is refused because 1EdTech's validator
 * rejects EdDSA JWT proofs, so no credpipe issuer produces them.
 *
 * <p>A credential with a {@code credentialStatus} gets a {@link Check#STATUS} check: each
 * {@code BitstringStatusListEntry} is looked up in its status list credential, fetched through the
 * {@link io.credpipe.verifier.status.StatusListSource} (HTTP by default) and verified with the same trusted keys (W3C Bitstring
 * Status List v1.0 §3.2). A revoked or suspended credential fails; one whose status cannot be
 * established (the list cannot be fetched, has expired, or is not signed by the issuer's key) gets a
 * {@link Check.Outcome#CANNOT_TELL} status check and is not verified either;
 * {@link Builder#checkStatus(boolean) checkStatus(false)} skips the check for offline use.
 * The standing also appears in {@link CredentialSummary#status()}.
 *
 * <p>A CLR 2.0 {@code ClrCredential} secured the same way is verified as a learner record: its
 * signature, claims and dates as above, then every credential it bundles, which carries no proof
 * of its own and must therefore be the record issuer's, about the record's subject, within its
 * validity period and, status checked, neither revoked nor suspended
 * ({@link Check#BUNDLED_CREDENTIALS}); {@link VerificationReport#bundled()} summarises each.
 *
 * <p>A {@code credentialSchema} naming 1EdTech's OB 3.0 or CLR 2.0 JSON Schema is checked against
 * the bundled copy, never fetched; any other schema leaves {@link Check#CREDENTIAL_SCHEMA} unable
 * to tell.
 *
 * <p>A JSON credential with an embedded {@code DataIntegrityProof} ({@code eddsa-rdfc-2022}, W3C Data
 * Integrity EdDSA Cryptosuites v1.0) is verified with the Ed25519 key its {@code verificationMethod}
 * names, found through {@code did:web} (fetched) or {@code did:key}; the key's DID must be the
 * issuer's. The credential then gets the same checks and status semantics as a JWT's but the JWT
 * claims ({@code iss}, {@code jti}, {@code sub}). Not performed: refresh and endorsements.
 *
 * <p>Instances are immutable and thread-safe. Keys from a file or URL are read at every
 * verification, so a failure to read them is reported as a failed {@link Check#TRUSTED_KEYS}
 * check.
 *
 * <p>The work is layered: {@code jws} parses and checks signatures (the only code that knows
 * the JOSE library), {@code checks} holds one small judge per {@link Check}, {@code status} reads
 * status lists, and {@link Verification} runs the checks in order.
 *
 * <pre>{@code
 * CredentialVerifier verifier = CredentialVerifier.builder()
 *         .trustedKeys(URI.create("https://credentials.example.com/.well-known/jwks.json"))
 *         .build();
 * VerificationReport report = verifier.verifyFile(Path.of("credential.jwt"));
 * System.out.print(report.describe());
 * }</pre>
 */
public final class CredentialVerifier {

    /** How far the issuer's clock may be ahead of or behind ours unless configured: 5 minutes. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    /** How long fetching keys or a credential over HTTP may take unless configured: 5 seconds. */
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);

    /** The names of the JWS algorithms accepted: public-key signatures of the RS, PS and ES families. */
    public static final Set<String> ACCEPTED_ALGORITHMS = Algorithms.ACCEPTED;

    /** The checks every verification of a JWS reports, in order. */
    static final List<String> JWS_CHECKS = Verification.JWS_CHECKS;

    /** One cryptosuite for every verifier: it keeps the bundled contexts once parsed. */
    private static final EddsaRdfc2022 SUITE = new EddsaRdfc2022(BundledContexts.standard());

    private final VerifierSettings settings;
    private final HttpFetch http;

    private CredentialVerifier(VerifierSettings settings, HttpFetch http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * Starts configuring a verifier. Trusted keys are required; the clock defaults to
     * {@link Clock#systemUTC()}, the skew to {@link #DEFAULT_CLOCK_SKEW} and the HTTP timeout to
     * {@link #DEFAULT_HTTP_TIMEOUT}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a credential in compact JWS serialization ({@code header.payload.signature}).
     * Surrounding whitespace is ignored.
     *
     * @param compactJws the credential as received
     * @return the report; {@link VerificationReport#verified()} says whether it may be trusted
     * @throws NullPointerException if {@code compactJws} is {@code null}
     */
    public VerificationReport verify(String compactJws) {
        Objects.requireNonNull(compactJws, "compactJws");
        return new Verification(settings, new ArrayList<>()).jws(compactJws.strip());
    }

    /**
     * Verifies a credential given as text: a compact JWS, or a JSON credential with an embedded
     * Data Integrity proof ({@code eddsa-rdfc-2022}), whose key is found through the DID its
     * {@code verificationMethod} names, whatever {@link Builder#resolveDids(boolean)} says; a JSON
     * credential without a proof fails as "not secured".
     *
     * @param text the credential as received
     * @return the report
     * @throws NullPointerException if {@code text} is {@code null}
     */
    public VerificationReport verifyText(String text) {
        Objects.requireNonNull(text, "text");
        return new Verification(settings, new ArrayList<>()).content(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Verifies the credential in a file: a {@code .jwt} file holding the compact JWS, a JSON file
     * ({@code .ld.json}) holding a credential with an embedded Data Integrity proof (see
     * {@link #verifyText(String)}), or a JSON file holding a plain credential, which fails as "not
     * secured: no proof" since anyone can write such a file. The kind is told from the content, not
     * the file name.
     *
     * @param file the file
     * @return the report, starting with an {@link Check#INPUT} check; a file that cannot be read
     *     gives a failed input check, not an exception
     * @throws NullPointerException if {@code file} is {@code null}
     */
    public VerificationReport verifyFile(Path file) {
        Objects.requireNonNull(file, "file");
        List<Check> checks = new ArrayList<>();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Verification.notRead(checks, "cannot read " + file + ": no such file");
        } catch (IOException e) {
            return Verification.notRead(checks, "cannot read " + file + ": " + e.getMessage());
        }
        checks.add(Check.passed(Check.INPUT, "read " + content.length + " bytes from " + file));
        return new Verification(settings, checks).content(content);
    }

    /**
     * Fetches a credential over HTTP(S) and verifies it like {@link #verifyFile(Path)}.
     *
     * @param credentialUrl where the credential is served, as a compact JWS or plain JSON
     * @return the report, starting with an {@link Check#INPUT} check; a failed fetch gives a
     *     failed input check, not an exception
     * @throws NullPointerException if {@code credentialUrl} is {@code null}
     */
    public VerificationReport verifyUrl(URI credentialUrl) {
        Objects.requireNonNull(credentialUrl, "credentialUrl");
        List<Check> checks = new ArrayList<>();
        String refused = http.refusal(credentialUrl);
        if (refused != null) {
            return Verification.notRead(checks, refused);
        }
        HttpFetch.Result fetched = http.get(credentialUrl, HttpFetch.JWT_CREDENTIAL);
        if (!fetched.ok()) {
            return Verification.notRead(checks, "cannot fetch the credential: " + fetched.failure());
        }
        checks.add(Check.passed(Check.INPUT, "fetched " + fetched.body().length + " bytes from " + credentialUrl));
        return new Verification(settings, checks).content(fetched.body());
    }

    /**
     * Configures a {@link CredentialVerifier}. Not thread-safe; build once, share the verifier.
     */
    public static final class Builder {

        private KeySource trustedKeys;
        private URI keysUrl;
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
        private boolean checkStatus = true;
        private StatusListSource statusLists;
        private final Set<String> httpHosts = new LinkedHashSet<>();
        private boolean resolveDids;
        private final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> didDocuments = new java.util.HashMap<>();

        private Builder() {}

        /**
         * Takes a saved DID document (e.g. the issuer's {@code did.json}) instead of fetching it, so
         * that credentials whose keys it lists verify offline.
         *
         * @param file the DID document
         * @return this builder
         * @throws IOException when the file cannot be read or is not a DID document
         */
        public Builder didDocument(Path file) throws IOException {
            java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> saved = DidResolver.savedDocument(Files.readAllBytes(file));
            didDocuments.put(saved.getKey(), saved.getValue());
            return this;
        }

        /**
         * Whether to check credential status (W3C Bitstring Status List v1.0); on by default. Turned
         * off, for offline use, a credential with a {@code credentialStatus} gets a skipped
         * {@link Check#STATUS} check and a {@link StatusStanding.State#NOT_CHECKED} standing, and
         * may verify although it has been revoked.
         *
         * @param checkStatus {@code false} to skip status checks
         * @return this builder
         */
        public Builder checkStatus(boolean checkStatus) {
            this.checkStatus = checkStatus;
            return this;
        }

        /**
         * Where status list credentials come from. By default they are fetched with an HTTP GET
         * ({@code Accept: application/vc+jwt, application/jwt}) within the
         * {@linkplain #httpTimeout(Duration) HTTP timeout}. Whatever the source returns is verified
         * with the trusted keys.
         *
         * @param statusLists the source
         * @return this builder
         */
        public Builder statusLists(StatusListSource statusLists) {
            this.statusLists = Objects.requireNonNull(statusLists, "statusLists");
            return this;
        }

        /**
         * Trusts the public keys of a JWK set; private and symmetric members are ignored. Replaces
         * any trusted keys set before. Build one with {@link TrustedKeys#of} from a Nimbus
         * {@code JWKSet}, or {@link TrustedKeys#parse} from JSON.
         *
         * @param keys the issuer's keys
         * @return this builder
         */
        public Builder trustedKeys(TrustedKeys keys) {
            this.trustedKeys = new KeySource.Given(keys);
            this.keysUrl = null;
            return this;
        }

        /**
         * Trusts the public keys in a JWKS file, read at every verification. Replaces any trusted
         * keys set before.
         *
         * @param jwksFile a JWK set (RFC 7517 §5), e.g. a saved {@code /.well-known/jwks.json}
         * @return this builder
         */
        public Builder trustedKeys(Path jwksFile) {
            this.trustedKeys = new KeySource.File(jwksFile);
            this.keysUrl = null;
            return this;
        }

        /**
         * Trusts the public keys served at a JWKS URL, fetched at every verification with the
         * {@linkplain #httpTimeout(Duration) HTTP timeout}. Replaces any trusted keys set before.
         *
         * @param jwksUrl an http(s) URL, e.g. {@code https://issuer.example/.well-known/jwks.json}
         * @return this builder
         * @throws IllegalArgumentException if the URL is not an absolute http(s) URL
         */
        public Builder trustedKeys(URI jwksUrl) {
            this.keysUrl = HttpFetch.requireHttp(jwksUrl);
            this.trustedKeys = null;
            return this;
        }

        /**
         * The clock validity periods are checked against.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far the issuer's clock may differ from ours when checking {@code validFrom} and
         * {@code validUntil}.
         *
         * @param clockSkew a non-negative duration
         * @return this builder
         * @throws IllegalArgumentException if {@code clockSkew} is negative
         */
        public Builder clockSkew(Duration clockSkew) {
            if (clockSkew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative: " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /**
         * How long connecting to and hearing back from an HTTP server may take, for JWKS URLs,
         * {@link CredentialVerifier#verifyUrl(URI)} and status lists fetched over HTTP.
         *
         * @param httpTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code httpTimeout} is not positive
         */
        public Builder httpTimeout(Duration httpTimeout) {
            if (httpTimeout.isNegative() || httpTimeout.isZero()) {
                throw new IllegalArgumentException("HTTP timeout must be positive: " + httpTimeout);
            }
            this.httpTimeout = httpTimeout;
            return this;
        }

        /**
         * Whether a {@code kid} that is a DID URL ({@code did:…#fragment}) is resolved through its
         * DID: {@code did:web} by fetching its DID document over HTTPS, {@code did:key} and
         * {@code did:jwk} locally; off by default. The key must be an {@code assertionMethod} of
         * the DID and the credential's {@code iss} that DID. Trust then rests on the DID: a
         * verified credential is one signed by the DID named as its issuer, and whether that DID
         * is an issuer to trust is the employer's call ({@link CredentialSummary#issuerId()}).
         * With this on, trusted keys are optional; when set they serve kids that are not DID URLs.
         *
         * @param resolveDids {@code true} to resolve DIDs
         * @return this builder
         */
        public Builder resolveDids(boolean resolveDids) {
            this.resolveDids = resolveDids;
            return this;
        }

        /**
         * Allows plain HTTP to {@code host} for everything this verifier fetches (keys, DID
         * documents, credentials, status lists); everything else needs HTTPS. For a local issuer,
         * e.g. {@code allowHttpHost("127.0.0.1")}: on the open network plain HTTP would let anyone
         * on the path swap the issuer's keys or status lists.
         *
         * @param host a host name or IP literal, compared case-insensitively
         * @return this builder
         */
        public Builder allowHttpHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            httpHosts.add(host.strip());
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return the verifier
         * @throws IllegalStateException if no trusted keys were set and DIDs are not resolved
         */
        public CredentialVerifier build() {
            if (trustedKeys == null && keysUrl == null && !resolveDids) {
                throw new IllegalStateException("no trusted keys: call trustedKeys(TrustedKeys | Path | URI) or resolveDids(true)");
            }
            // The cache's freshness is wall-clock time, whatever clock validity is judged by.
            HttpFetch http = new HttpFetch(httpTimeout, Set.copyOf(httpHosts), new FetchCache(Clock.systemUTC()));
            KeySource keys = keysUrl != null ? new KeySource.Url(keysUrl, http) : trustedKeys;
            return new CredentialVerifier(new VerifierSettings(keys, clock, clockSkew, checkStatus,
                    statusLists != null ? statusLists : StatusListSource.fetchedWith(http), new CredentialSchemas(),
                    resolveDids ? new DidResolver(http, didDocuments) : null, new VerifiedLists(),
                    new DidResolver(http, didDocuments), SUITE), http);
        }
    }
}
