package io.credpipe.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verifies Open Badges 3.0 credentials secured with the JSON Web Token proof format (OB 3.0 §8.2)
 * using public material only: the issuer's public keys, from a JWK set, a JWKS file or a JWKS URL.
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
 * {@link StatusListSource} (HTTP by default) and verified with the same trusted keys (W3C Bitstring
 * Status List v1.0 §3.2). A revoked or suspended credential fails, and so does one whose status
 * cannot be established; {@link Builder#checkStatus(boolean) checkStatus(false)} skips the check
 * for offline use. The standing also appears in {@link CredentialSummary#status()}.
 *
 * <p>A CLR 2.0 {@code ClrCredential} secured the same way is verified as a learner record: its
 * signature, claims and dates as above, then every credential it bundles, which carries no proof
 * of its own and must therefore be the record issuer's, about the record's subject, within its
 * validity period and, status checked, neither revoked nor suspended
 * ({@link Check#BUNDLED_CREDENTIALS}); {@link VerificationReport#bundled()} summarises each.
 *
 * <p>Not performed: embedded Data Integrity proofs, JSON Schema validation against
 * {@code credentialSchema} (a skipped {@link Check#CREDENTIAL_SCHEMA} check), refresh and
 * endorsements.
 *
 * <p>Instances are immutable and thread-safe. Keys from a file or URL are read at every
 * verification, so a failure to read them is reported as a failed {@link Check#TRUSTED_KEYS}
 * check.
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

    /** The JWS algorithms accepted: public-key signatures of the RS, PS and ES families. */
    public static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** The checks every verification of a JWS reports, in order. */
    static final List<String> JWS_CHECKS = List.of(
            Check.COMPACT_JWS, Check.ALGORITHM, Check.HEADER, Check.TRUSTED_KEYS, Check.KID, Check.SIGNATURE,
            Check.CREDENTIAL, Check.ISS, Check.JTI, Check.SUB, Check.VALID_FROM, Check.VALID_UNTIL);

    /** The {@code typ} values accepted, lower case, without {@code application/}: see {@link #typMismatch}. */
    static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "vc+jwt");

    /** RFC 7518 §3.3: RSA keys used with RS and PS algorithms are at least 2048 bits. */
    static final int MIN_RSA_BITS = 2048;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private final TrustedKeys trustedKeys;
    private final Clock clock;
    private final Duration clockSkew;
    private final HttpFetch http;
    private final boolean checkStatus;
    private final StatusListSource statusLists;

    private CredentialVerifier(TrustedKeys trustedKeys, Clock clock, Duration clockSkew, HttpFetch http,
            boolean checkStatus, StatusListSource statusLists) {
        this.trustedKeys = trustedKeys;
        this.clock = clock;
        this.clockSkew = clockSkew;
        this.http = http;
        this.checkStatus = checkStatus;
        this.statusLists = statusLists;
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
        return new Run(new ArrayList<>()).jws(compactJws.strip());
    }

    /**
     * Verifies the credential in a file: a {@code .jwt} file holding the compact JWS, or a JSON
     * file holding a plain credential, which fails as "not secured: no proof" since anyone can
     * write such a file. The kind is told from the content, not the file name.
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
            return notRead(checks, "cannot read " + file + ": no such file");
        } catch (IOException e) {
            return notRead(checks, "cannot read " + file + ": " + e.getMessage());
        }
        checks.add(Check.passed(Check.INPUT, "read " + content.length + " bytes from " + file));
        return new Run(checks).content(content);
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
        try {
            HttpFetch.requireHttp(credentialUrl);
        } catch (IllegalArgumentException e) {
            return notRead(checks, e.getMessage());
        }
        HttpFetch.Result fetched = http.get(credentialUrl, HttpFetch.JWT_CREDENTIAL);
        if (!fetched.ok()) {
            return notRead(checks, "cannot fetch the credential: " + fetched.failure());
        }
        checks.add(Check.passed(Check.INPUT, "fetched " + fetched.body().length + " bytes from " + credentialUrl));
        return new Run(checks).content(fetched.body());
    }

    private static VerificationReport notRead(List<Check> checks, String reason) {
        checks.add(Check.failed(Check.INPUT, reason));
        JWS_CHECKS.forEach(name -> checks.add(Check.skipped(name, "not checked: the credential could not be read")));
        return new VerificationReport(checks, Optional.empty());
    }

    /** One verification: the checks so far and the facts later checks need. */
    private final class Run {
        private final List<Check> checks;
        private String token;
        private String[] segments;
        private JsonNode header;
        private JWSAlgorithm algorithm;
        private JWKSet keys;
        private JWK key;
        private StatusListCheck statusListCheck;

        Run(List<Check> checks) {
            this.checks = checks;
        }

        /** A file or HTTP body: a compact JWS, or a JSON credential that carries no JWT proof. */
        VerificationReport content(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
            if (!text.startsWith("{")) {
                return jws(text);
            }
            List<String> problems = new ArrayList<>();
            CredentialPayload json = CredentialPayload.parse(text.getBytes(StandardCharsets.UTF_8), problems);
            String reason;
            if (json == null) {
                reason = "neither a compact JWS nor a JSON credential: " + String.join("; ", problems);
            } else if (json.claim("proof") != null) {
                reason = "not secured by a JWT proof: the credential carries an embedded (Data Integrity) proof, "
                        + "which this verifier does not check; it verifies the JSON Web Token proof format (OB 3.0 §8.2)";
            } else {
                reason = "not secured: no proof. A plain JSON credential can be written by anyone; "
                        + "a verifiable credential carries a proof (OB 3.0 §8), e.g. as a .jwt file";
            }
            return stop(Check.COMPACT_JWS, reason);
        }

        VerificationReport jws(String compactJws) {
            token = compactJws;
            if (!compactJws()) {
                return stop();
            }
            if (!algorithm()) {
                return stop();
            }
            header();
            if (!trustedKeys()) {
                return stop();
            }
            if (!kid()) {
                return stop();
            }
            if (!signature()) {
                return stop();
            }
            return payload();
        }

        private boolean compactJws() {
            segments = token.split("\\.", -1);
            if (segments.length == 5) {
                return fail(Check.COMPACT_JWS, "this is an encrypted JWE (5 segments), not a signed JWS");
            }
            if (segments.length != 3) {
                return fail(Check.COMPACT_JWS, "a compact JWS has 3 dot-separated segments (RFC 7515 §7.1), found " + segments.length);
            }
            String[] names = {"header", "payload", "signature"};
            for (int i = 0; i < 3; i++) {
                if (!canonicalBase64Url(segments[i])) {
                    // The signature segment is decoded, not signed: encodings differing only in the
                    // unused low bits of the last character would verify too. Refusing them gives a
                    // credential exactly one textual form, so no character can change unnoticed.
                    return fail(Check.COMPACT_JWS, "the " + names[i] + " segment is not canonical base64url without padding (RFC 7515 §2)");
                }
            }
            try {
                // RFC 7515 §4: a parser must reject duplicate header names or keep the last; strict parsing rejects.
                header = CredentialPayload.STRICT_JSON.readTree(Base64.getUrlDecoder().decode(segments[0]));
            } catch (IOException e) {
                return fail(Check.COMPACT_JWS, "the header is not JSON: " + CredentialPayload.oneLine(e.getMessage()));
            }
            if (header == null || !header.isObject()) {
                return fail(Check.COMPACT_JWS, "the header is not a JSON object");
            }
            String shown = header.toString();
            return pass(Check.COMPACT_JWS, "3 base64url segments; header "
                    + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown));
        }

        private boolean algorithm() {
            JsonNode alg = header.get("alg");
            if (alg == null || !alg.isTextual()) {
                return fail(Check.ALGORITHM, "the header has no alg (RFC 7515 §4.1.1)");
            }
            String name = alg.asText();
            JWSAlgorithm parsed = JWSAlgorithm.parse(name);
            if (name.equalsIgnoreCase("none")) {
                return fail(Check.ALGORITHM, "alg \"none\": an unsecured JWT carries no signature, so nothing vouches for it");
            }
            if (JWSAlgorithm.Family.HMAC_SHA.contains(parsed)) {
                return fail(Check.ALGORITHM, "alg " + name + " is a shared-secret MAC, not an issuer signature: whoever can check it "
                        + "can forge it, and a public key used as its secret is the algorithm-confusion attack; "
                        + "OB 3.0 §8.2.3 calls for a public-key signature (RS256 at least)");
            }
            if (JWSAlgorithm.Family.ED.contains(parsed) || name.startsWith("Ed")) {
                return fail(Check.ALGORITHM, "alg " + name + " is not accepted: 1EdTech's validator rejects EdDSA JWT proofs, "
                        + "so credpipe issues ES256 or RS256 only");
            }
            if (!ACCEPTED_ALGORITHMS.contains(parsed)) {
                return fail(Check.ALGORITHM, "alg " + name + " is not accepted; accepted: " + ACCEPTED_ALGORITHMS.stream()
                        .map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", ")));
            }
            algorithm = parsed;
            return pass(Check.ALGORITHM, name);
        }

        /** Not blocking: a bad typ or crit already fails the credential, the signature is still worth reporting. */
        private void header() {
            JsonNode crit = header.get("crit");
            if (crit != null) {
                fail(Check.HEADER, "critical header parameters " + crit + " are not understood, so the JWS "
                        + "must be rejected (RFC 7515 §4.1.11)");
                return;
            }
            JsonNode typ = header.get("typ");
            if (typ == null) {
                pass(Check.HEADER, "no typ");
                return;
            }
            String mismatch = typMismatch(typ);
            if (mismatch == null) {
                pass(Check.HEADER, "typ " + typ.asText());
            } else {
                fail(Check.HEADER, mismatch);
            }
        }

        private boolean trustedKeys() {
            TrustedKeys.Loaded loaded = trustedKeys.load();
            if (loaded.failure() != null) {
                return fail(Check.TRUSTED_KEYS, loaded.failure());
            }
            keys = loaded.keys();
            return pass(Check.TRUSTED_KEYS, keys.size() + (keys.size() == 1 ? " public key from " : " public keys from ") + loaded.source());
        }

        private boolean kid() {
            JsonNode kid = header.get("kid");
            if (kid == null) {
                return fail(Check.KID, "the header has no kid, so no trusted key can be chosen"
                        + (header.has("jwk") ? " (a key embedded in the header as jwk vouches only for itself)" : ""));
            }
            if (!kid.isTextual()) {
                return fail(Check.KID, "kid must be a string, was " + kid);
            }
            key = keys.getKeyByKeyId(kid.asText());
            if (key == null) {
                String known = keys.getKeys().stream().map(JWK::getKeyID).filter(Objects::nonNull)
                        .limit(10).collect(Collectors.joining(", "));
                return fail(Check.KID, "no trusted key has kid \"" + kid.asText() + "\""
                        + (known.isEmpty() ? "" : " (trusted: " + known + ")"));
            }
            String mismatch = keyMismatch(key, algorithm);
            if (mismatch != null) {
                return fail(Check.KID, "key \"" + kid.asText() + "\" " + mismatch);
            }
            return pass(Check.KID, "\"" + kid.asText() + "\" is a trusted " + describe(key));
        }

        private boolean signature() {
            try {
                JWSObject jws = JWSObject.parse(token);
                JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
                if (!jws.verify(verifier)) {
                    return fail(Check.SIGNATURE, "the signature does not match the header and payload: "
                            + "the credential was altered or not signed with key \"" + key.getKeyID() + "\"");
                }
            } catch (ParseException | JOSEException e) {
                return fail(Check.SIGNATURE, "the signature cannot be checked: " + e.getMessage());
            }
            return pass(Check.SIGNATURE, algorithm.getName() + " signature verifies with key \"" + key.getKeyID() + "\"");
        }

        /** The signature verified: the payload is the issuer's and may be read. */
        private VerificationReport payload() {
            List<String> problems = new ArrayList<>();
            CredentialPayload credential = CredentialPayload.parse(Base64.getUrlDecoder().decode(segments[1]), problems);
            if (credential == null) {
                fail(Check.CREDENTIAL, String.join("; ", problems));
                skipFrom(Check.ISS, "not checked: the payload is not a credential");
                return report(Optional.empty());
            }
            if (credential.isLearnerRecord()) {
                return learnerRecord(credential);
            }
            problems = credential.problems();
            boolean wellFormed = problems.isEmpty();
            if (wellFormed) {
                pass(Check.CREDENTIAL, String.join(", ", credential.types()) + " (VC 2.0, Open Badges 3.0)");
            } else {
                fail(Check.CREDENTIAL, String.join("; ", problems));
            }
            registeredClaims(credential);
            Instant validFrom = validFrom(credential);
            Instant validUntil = validUntil(credential);
            Optional<StatusStanding> standing = status(credential);
            schemaNotChecked(credential);
            if (!wellFormed || validFrom == null) {
                return report(Optional.empty());
            }
            return report(Optional.of(credential.summary(key.getKeyID(), algorithm.getName(), validFrom, validUntil, standing)));
        }

        /**
         * A CLR 2.0 learner record: its own claims and dates are checked as a credential's are, then
         * every credential it bundles, which the record's signature alone vouches for: each must be
         * within its validity period and, status checked, neither revoked nor suspended. A record
         * holding one credential that is no longer current is not verified, since an employer reads
         * it as the holder's current standing.
         */
        private VerificationReport learnerRecord(CredentialPayload record) {
            List<String> problems = record.learnerRecordProblems();
            boolean wellFormed = problems.isEmpty();
            List<CredentialPayload> bundled = wellFormed ? record.bundled() : List.of();
            if (wellFormed) {
                pass(Check.CREDENTIAL, String.join(", ", record.types()) + " (CLR 2.0) bundling " + bundled.size()
                        + (bundled.size() == 1 ? " credential" : " credentials") + " of its issuer");
            } else {
                fail(Check.CREDENTIAL, String.join("; ", problems));
            }
            registeredClaims(record);
            Instant validFrom = validFrom(record);
            validUntil(record);
            status(record);
            schemaNotChecked(record);
            if (!wellFormed || validFrom == null) {
                skipped(Check.BUNDLED_CREDENTIALS, "not checked: the learner record is not valid");
                return report(Optional.empty());
            }
            return new VerificationReport(checks, Optional.empty(), bundledCredentials(bundled));
        }

        /** The {@link Check#BUNDLED_CREDENTIALS} check; returns the summary of each credential that has a valid {@code validFrom}. */
        private List<CredentialSummary> bundledCredentials(List<CredentialPayload> bundled) {
            Instant now = clock.instant();
            List<String> notCurrent = new ArrayList<>();
            List<CredentialSummary> summaries = new ArrayList<>();
            boolean statusChecked = true;
            for (int i = 0; i < bundled.size(); i++) {
                CredentialPayload credential = bundled.get(i);
                String which = "credential " + (i + 1) + " (" + credential.credentialId() + ")";
                Instant from = CredentialPayload.dateTime(credential.validFrom());
                Instant until = CredentialPayload.dateTime(credential.validUntil());
                if (from == null) {
                    notCurrent.add(which + ": validFrom " + quote(credential.validFrom()) + " is not a date-time with a time zone");
                } else if (from.isAfter(now.plus(clockSkew))) {
                    notCurrent.add(which + " is not valid before " + from);
                }
                if (credential.validUntil() != null && until == null) {
                    notCurrent.add(which + ": validUntil " + quote(credential.validUntil()) + " is not a date-time with a time zone");
                } else if (until != null && now.minus(clockSkew).isAfter(until)) {
                    notCurrent.add(which + " expired at " + until);
                }
                Optional<StatusStanding> standing = bundledStatus(credential);
                if (standing.isPresent()) {
                    switch (standing.get().state()) {
                        case REVOKED, SUSPENDED, UNKNOWN -> notCurrent.add(which + " is " + standing.get().describe());
                        case NOT_CHECKED -> statusChecked = false;
                        case VALID -> { }
                    }
                }
                if (from != null) {
                    summaries.add(credential.summary(key.getKeyID(), algorithm.getName(), from, until, standing));
                }
            }
            if (notCurrent.isEmpty()) {
                pass(Check.BUNDLED_CREDENTIALS, (bundled.size() == 1 ? "the credential is" : "all " + bundled.size()
                        + " credentials are") + " within their validity period" + (statusChecked
                        ? " and valid in their issuer's status lists"
                        : "; their status was not checked"));
            } else {
                fail(Check.BUNDLED_CREDENTIALS, notCurrent.size() + " of " + bundled.size()
                        + " bundled credentials are not current: " + String.join("; ", notCurrent));
            }
            return summaries;
        }

        /** A skipped {@link Check#CREDENTIAL_SCHEMA} check, when the credential names a {@code credentialSchema}. */
        private void schemaNotChecked(CredentialPayload credential) {
            if (credential.claim("credentialSchema") != null) {
                List<String> schemaTypes = credential.credentialSchemaTypes();
                skipped(Check.CREDENTIAL_SCHEMA, "not checked: the credential names a JSON Schema"
                        + (schemaTypes.isEmpty() ? "" : " (" + String.join(", ", schemaTypes) + ")")
                        + " that this verifier does not validate against");
            }
        }

        /** A bundled credential's standing, without a check of its own (see {@link Check#BUNDLED_CREDENTIALS}). */
        private Optional<StatusStanding> bundledStatus(CredentialPayload credential) {
            JsonNode credentialStatus = credential.credentialStatus();
            if (credentialStatus == null) {
                return Optional.empty();
            }
            if (!checkStatus) {
                return Optional.of(new StatusStanding(StatusStanding.State.NOT_CHECKED, "status checking is turned off"));
            }
            return Optional.of(statusListCheck().check(credentialStatus, credential.issuerId()).standing());
        }

        /** This verification's status list reader, made once the trusted keys are loaded: each list is fetched once. */
        private StatusListCheck statusListCheck() {
            if (statusListCheck == null) {
                statusListCheck = new StatusListCheck(statusLists, keys, clock, clockSkew);
            }
            return statusListCheck;
        }

        /** The {@link Check#STATUS} check, when the credential has a {@code credentialStatus}. */
        private Optional<StatusStanding> status(CredentialPayload credential) {
            JsonNode credentialStatus = credential.credentialStatus();
            if (credentialStatus == null) {
                return Optional.empty();
            }
            if (!checkStatus) {
                String reason = "status checking is turned off, so whether the issuer revoked or suspended "
                        + "this credential is unknown";
                skipped(Check.STATUS, "not checked: " + reason);
                return Optional.of(new StatusStanding(StatusStanding.State.NOT_CHECKED, reason));
            }
            StatusListCheck.Result result = statusListCheck().check(credentialStatus, credential.issuerId());
            checks.add(result.check());
            return Optional.of(result.standing());
        }

        /** {@code iss}, {@code jti} and {@code sub} against the credential's issuer, id and subject (OB 3.0 §8.2.6.1). */
        private void registeredClaims(CredentialPayload credential) {
            claimEquals(Check.ISS, credential, "iss", credential.issuerId(), "issuer.id");
            claimEquals(Check.JTI, credential, "jti", credential.credentialId(), "id");
            subject(credential);
        }

        /** OB 3.0 §8.2.6.1: the claim MUST be present and MUST match the credential's property. */
        private void claimEquals(String check, CredentialPayload credential, String claim, String expected, String property) {
            JsonNode node = credential.claim(claim);
            if (node == null) {
                fail(check, "the " + claim + " claim is missing; OB 3.0 §8.2.6.1 requires it to equal " + property);
            } else if (!node.isTextual()) {
                fail(check, "the " + claim + " claim must be a string, was " + node);
            } else if (expected == null) {
                fail(check, "the " + claim + " claim is " + quote(node.asText()) + " but the credential has no " + property + " to match");
            } else if (!expected.equals(node.asText())) {
                fail(check, "the " + claim + " claim " + quote(node.asText()) + " does not match " + property + " " + quote(expected));
            } else {
                pass(check, claim + " matches " + property + " " + quote(expected));
            }
        }

        /**
         * OB 3.0 §8.2.6.1 ties {@code sub} to {@code credentialSubject.id}; a subject identified
         * only by {@code identifier} (OB 3.0 B.1.3) has no id, so it must have no {@code sub} either.
         */
        private void subject(CredentialPayload credential) {
            String subjectId = credential.subjectId();
            JsonNode sub = credential.claim("sub");
            if (subjectId == null && sub == null) {
                pass(Check.SUB, "no sub: the subject has no id and is identified by its identifiers");
            } else if (subjectId == null) {
                fail(Check.SUB, "the sub claim " + sub + " names a subject, but credentialSubject has no id to match");
            } else {
                claimEquals(Check.SUB, credential, "sub", subjectId, "credentialSubject.id");
            }
        }

        /** {@code nbf} MUST equal {@code validFrom}, which MUST have occurred (OB 3.0 §8.2.6.1, §9.1 step 4). */
        private Instant validFrom(CredentialPayload credential) {
            Instant validFrom = CredentialPayload.dateTime(credential.validFrom());
            JsonNode nbfNode = credential.claim("nbf");
            Instant nbf = CredentialPayload.numericDate(nbfNode);
            if (credential.validFrom() != null && validFrom == null) {
                fail(Check.VALID_FROM, "validFrom " + quote(credential.validFrom()) + " is not a date-time with a time zone");
                return null;
            }
            if (nbfNode == null) {
                fail(Check.VALID_FROM, "the nbf claim is missing; OB 3.0 §8.2.6.1 requires it to equal validFrom");
                return validFrom;
            }
            if (nbf == null) {
                fail(Check.VALID_FROM, "the nbf claim must be a NumericDate, was " + nbfNode);
                return validFrom;
            }
            if (validFrom == null) {
                fail(Check.VALID_FROM, "the credential has no validFrom to match nbf " + nbf);
                return null;
            }
            if (!nbf.equals(truncated(validFrom))) {
                fail(Check.VALID_FROM, "nbf " + nbf + " does not match validFrom " + validFrom);
                return validFrom;
            }
            Instant now = clock.instant();
            if (validFrom.isAfter(now.plus(clockSkew))) {
                fail(Check.VALID_FROM, "not yet valid: valid from " + validFrom + ", it is now " + now + skewNote());
                return validFrom;
            }
            pass(Check.VALID_FROM, "valid from " + validFrom);
            return validFrom;
        }

        /**
         * {@code exp}, when present, sets {@code validUntil} and is required when the credential has
         * one (OB 3.0 §8.2.4.1, §8.2.6.1); after it the credential is expired (§9.1 step 4).
         *
         * @return the effective expiry, or {@code null} for none
         */
        private Instant validUntil(CredentialPayload credential) {
            Instant validUntil = CredentialPayload.dateTime(credential.validUntil());
            JsonNode expNode = credential.claim("exp");
            Instant exp = CredentialPayload.numericDate(expNode);
            if (credential.validUntil() != null && validUntil == null) {
                fail(Check.VALID_UNTIL, "validUntil " + quote(credential.validUntil()) + " is not a date-time with a time zone");
                return null;
            }
            if (expNode != null && exp == null) {
                fail(Check.VALID_UNTIL, "the exp claim must be a NumericDate, was " + expNode);
                return validUntil;
            }
            if (exp == null && validUntil == null) {
                pass(Check.VALID_UNTIL, "does not expire");
                return null;
            }
            if (exp == null) {
                fail(Check.VALID_UNTIL, "validUntil is " + validUntil + " but the exp claim is missing (OB 3.0 §8.2.4.1 requires it)");
                return validUntil;
            }
            if (validUntil != null && !exp.equals(truncated(validUntil))) {
                fail(Check.VALID_UNTIL, "exp " + exp + " does not match validUntil " + validUntil);
                return exp;
            }
            Instant expiry = validUntil == null ? exp : validUntil;
            Instant now = clock.instant();
            if (now.minus(clockSkew).isAfter(expiry)) {
                fail(Check.VALID_UNTIL, "expired at " + expiry + ", it is now " + now + skewNote());
            } else {
                pass(Check.VALID_UNTIL, "valid until " + expiry);
            }
            return expiry;
        }

        private String skewNote() {
            return clockSkew.isZero() ? "" : " (allowing " + clockSkew.toMinutes() + " min of clock skew)";
        }

        private VerificationReport stop(String check, String reason) {
            fail(check, reason);
            return stop();
        }

        /** Reports every check after the last one as not run. */
        private VerificationReport stop() {
            Check last = checks.get(checks.size() - 1);
            skipFrom(JWS_CHECKS.get(JWS_CHECKS.indexOf(last.name()) + 1), "not checked: " + last.name() + " failed");
            return report(Optional.empty());
        }

        private void skipFrom(String first, String reason) {
            JWS_CHECKS.subList(JWS_CHECKS.indexOf(first), JWS_CHECKS.size()).forEach(name -> skipped(name, reason));
        }

        private VerificationReport report(Optional<CredentialSummary> summary) {
            return new VerificationReport(checks, summary);
        }

        private boolean pass(String name, String detail) {
            checks.add(Check.passed(name, detail));
            return true;
        }

        private boolean fail(String name, String detail) {
            checks.add(Check.failed(name, detail));
            return false;
        }

        private void skipped(String name, String detail) {
            checks.add(Check.skipped(name, detail));
        }
    }

    /**
     * Why {@code key} cannot verify {@code alg} signatures, or {@code null} if it can: the key type
     * and curve must fit the algorithm (RFC 7518 §3.3, §3.4) and the key's own {@code use},
     * {@code key_ops} and {@code alg}, when present, must allow it (RFC 7517 §4.2–§4.4).
     */
    static String keyMismatch(JWK key, JWSAlgorithm alg) {
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            if (!(key instanceof ECKey ec)) {
                return "is " + key.getKeyType() + ", but " + alg + " needs an EC key";
            }
            if (!Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
                return "is on curve " + ec.getCurve() + ", but " + alg + " needs " + Curve.forJWSAlgorithm(alg);
            }
        } else {
            if (!(key instanceof RSAKey rsa)) {
                return "is " + key.getKeyType() + ", but " + alg + " needs an RSA key";
            }
            if (rsa.size() < MIN_RSA_BITS) {
                return "is a " + rsa.size() + "-bit RSA key; RFC 7518 §3.3 requires at least " + MIN_RSA_BITS;
            }
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return "is for use \"" + key.getKeyUse().identifier() + "\", not signatures";
        }
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return "has key_ops " + key.getKeyOperations() + " without verify";
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) {
            return "is for alg " + key.getAlgorithm() + ", not " + alg;
        }
        return null;
    }

    /**
     * Why a present {@code typ} header is not one a credential may carry, or {@code null} if it is.
     * Open Badges 3.0 says {@code typ}, "if present, MUST be set to "JWT"" (§8.2 JSON Web Token
     * Proof Format, https://www.imsglobal.org/spec/ob/v3p0/#joseheader); W3C VC-JOSE-COSE §3.1.1
     * says it SHOULD be {@code vc+jwt}, and issuers following that specification, credpipe's with
     * {@code --jwt-typ vc+jwt} among them, write that. Both are accepted, nothing else: RFC 8725
     * §3.11 has typ tell one kind of JWT from another, so e.g. an access token ({@code at+jwt}) is
     * never taken for a credential. RFC 7515 §4.1.9: media types compare case-insensitively and
     * the {@code application/} prefix may be left out.
     */
    static String typMismatch(JsonNode typ) {
        String value = typ.isTextual() ? typ.asText().toLowerCase(Locale.ROOT).replaceFirst("^application/", "") : null;
        if (value != null && ACCEPTED_TYPES.contains(value)) {
            return null;
        }
        return "typ must be JWT (OB 3.0) or vc+jwt (VC-JOSE-COSE) when present, was " + typ;
    }

    private static String describe(JWK key) {
        return key instanceof ECKey ec ? "EC " + ec.getCurve() + " key" : ((RSAKey) key).size() + "-bit RSA key";
    }

    /** Whether {@code segment} is the one base64url encoding (no padding) of the bytes it decodes to. */
    static boolean canonicalBase64Url(String segment) {
        if (!BASE64URL.matcher(segment).matches() || segment.length() % 4 == 1) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(segment);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment);
    }

    private static Instant truncated(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }

    /**
     * Configures a {@link CredentialVerifier}. Not thread-safe; build once, share the verifier.
     */
    public static final class Builder {

        private TrustedKeys trustedKeys;
        private URI keysUrl;
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
        private boolean checkStatus = true;
        private StatusListSource statusLists;

        private Builder() {}

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
         * any trusted keys set before.
         *
         * @param keys the issuer's keys
         * @return this builder
         */
        public Builder trustedKeys(JWKSet keys) {
            this.trustedKeys = new TrustedKeys.Given(keys);
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
            this.trustedKeys = new TrustedKeys.File(jwksFile);
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
         * Builds the verifier.
         *
         * @return the verifier
         * @throws IllegalStateException if no trusted keys were set
         */
        public CredentialVerifier build() {
            if (trustedKeys == null && keysUrl == null) {
                throw new IllegalStateException("no trusted keys: call trustedKeys(JWKSet | Path | URI)");
            }
            HttpFetch http = new HttpFetch(httpTimeout);
            TrustedKeys keys = keysUrl != null ? new TrustedKeys.Url(keysUrl, http) : trustedKeys;
            return new CredentialVerifier(keys, clock, clockSkew, http, checkStatus,
                    statusLists != null ? statusLists : http.statusLists());
        }
    }
}
