package io.credpipe.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.checks.AlgorithmCheck;
import io.credpipe.verifier.checks.BundledCredentialsCheck;
import io.credpipe.verifier.checks.ClaimCheck;
import io.credpipe.verifier.checks.CompactJwsCheck;
import io.credpipe.verifier.checks.CredentialCheck;
import io.credpipe.verifier.checks.CredentialFormCheck;
import io.credpipe.verifier.checks.DataIntegrityProofCheck;
import io.credpipe.verifier.checks.ProofSignatureCheck;
import io.credpipe.verifier.checks.VerificationMethodCheck;
import io.credpipe.verifier.checks.HeaderCheck;
import io.credpipe.verifier.checks.KidCheck;
import io.credpipe.verifier.checks.SchemaCheck;
import io.credpipe.verifier.checks.SignatureCheck;
import io.credpipe.verifier.checks.SignedToken;
import io.credpipe.verifier.checks.StatusCheck;
import io.credpipe.verifier.checks.TrustedKeysCheck;
import io.credpipe.verifier.checks.ValidFromCheck;
import io.credpipe.verifier.checks.ValidUntilCheck;
import io.credpipe.verifier.credential.CredentialPayload;
import io.credpipe.verifier.jws.CompactJws;
import io.credpipe.verifier.jws.DidResolver;
import io.credpipe.verifier.jws.TrustedKeys;
import io.credpipe.verifier.jws.KeySource;
import io.credpipe.verifier.jws.VerificationKey;
import io.credpipe.verifier.status.StatusListReader;
import io.credpipe.verifier.status.StatusStanding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One verification: runs the {@code checks} in order over what {@code jws}, {@code credential} and
 * {@code status} produce, stops at the first blocking failure, and collects the report. Not
 * thread-safe; a {@link CredentialVerifier} makes one per credential.
 */
final class Verification {

    /** The checks every verification of a JWS reports, in order. */
    static final List<String> JWS_CHECKS = List.of(
            Check.COMPACT_JWS, Check.ALGORITHM, Check.HEADER, Check.TRUSTED_KEYS, Check.KID, Check.SIGNATURE,
            Check.CREDENTIAL, Check.ISS, Check.JTI, Check.SUB, Check.VALID_FROM, Check.VALID_UNTIL);

    /** The checks every verification of a credential with an embedded Data Integrity proof reports, in order. */
    static final List<String> DATA_INTEGRITY_CHECKS = List.of(
            Check.PROOF, Check.VERIFICATION_METHOD, Check.SIGNATURE, Check.CREDENTIAL, Check.VALID_FROM, Check.VALID_UNTIL);

    private static final String NOT_SECURED = "not secured: no proof. A plain JSON credential can be written by anyone; "
            + "a verifiable credential carries a proof (OB 3.0 §8), e.g. as a .jwt file";

    private final VerifierSettings settings;
    private final List<Check> checks;
    private StatusListReader statusLists;
    /** The checks this verification reports in order: a JWS's, or a Data Integrity proof's. */
    private List<String> order = JWS_CHECKS;

    Verification(VerifierSettings settings, List<Check> checks) {
        this.settings = settings;
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
            return dataIntegrity(json.json());
        } else {
            reason = NOT_SECURED;
        }
        checks.add(Check.failed(Check.COMPACT_JWS, reason));
        return stop();
    }

    /** A compact JWS, already stripped of surrounding whitespace. */
    VerificationReport jws(String token) {
        CompactJws.Parsed parsed = CompactJws.parse(token);
        if (!run(new CompactJwsCheck(), parsed)) {
            return stop();
        }
        CompactJws jws = parsed.jws();
        if (!run(new AlgorithmCheck(), jws)) {
            return stop();
        }
        run(new HeaderCheck(), jws);
        String controller = didToResolve(jws);
        KeySource.Loaded loaded = controller != null ? settings.dids().resolve(controller)
                : settings.keys() != null ? settings.keys().load()
                : new KeySource.Loaded(null, "no trusted keys", "no trusted keys are configured, and the kid "
                        + jws.header().get("kid") + " is not a DID URL to resolve the issuer's keys through");
        if (!run(new TrustedKeysCheck(), loaded)) {
            return stop();
        }
        SignedToken signed = new SignedToken(jws, loaded.keys(), controller);
        if (!run(new KidCheck(), signed) || !run(new SignatureCheck(), signed)) {
            return stop();
        }
        return payload(jws, signed.key(), loaded.keys());
    }

    /** The DID whose document holds the key, when DIDs are resolved and the kid is a DID URL; else {@code null}. */
    private String didToResolve(CompactJws jws) {
        JsonNode kid = jws.header().get("kid");
        if (settings.dids() == null || kid == null || !kid.isTextual() || !kid.asText().startsWith("did:")) {
            return null;
        }
        return DidResolver.didOf(kid.asText());
    }

    /**
     * A JSON credential with an embedded proof: the proof's form, its key through the DID its
     * verification method names, the eddsa-rdfc-2022 signature, then the same credential checks as
     * for a JWT but the JWT's own claims, and the same status semantics.
     */
    private VerificationReport dataIntegrity(JsonNode document) {
        order = DATA_INTEGRITY_CHECKS;
        EddsaRdfc2022.Secured secured;
        try {
            secured = EddsaRdfc2022.split(document);
        } catch (IllegalArgumentException e) {
            checks.add(Check.failed(Check.PROOF, e.getMessage()));
            return stop();
        }
        if (!run(new DataIntegrityProofCheck(settings.clock(), settings.clockSkew()), secured.proof())) {
            return stop();
        }
        String method = secured.proof().get("verificationMethod").asText();
        DidResolver.ProofKey key = settings.proofKeys().proofKey(method);
        CredentialPayload unverified = CredentialPayload.parse(secured.unsecured().toString().getBytes(StandardCharsets.UTF_8), new ArrayList<>());
        if (!run(new VerificationMethodCheck(), new VerificationMethodCheck.Subject(key, unverified.issuerId()))
                || !run(new ProofSignatureCheck(settings.suite()), new ProofSignatureCheck.Subject(secured, key.key(), method))) {
            return stop();
        }
        // Status lists are JWTs signed by the issuer's JWT keys: the configured ones, else the DID's.
        TrustedKeys statusKeys = settings.keys() != null ? settings.keys().load().keys()
                : settings.proofKeys().resolve(key.controller()).keys();
        return judged(unverified, false, method, EddsaRdfc2022.CRYPTOSUITE, statusKeys);
    }

    /** The signature verified: the payload is the issuer's and may be read. */
    private VerificationReport payload(CompactJws jws, VerificationKey key, TrustedKeys keys) {
        List<String> problems = new ArrayList<>();
        CredentialPayload credential = CredentialPayload.parse(jws.payload(), problems);
        if (credential == null) {
            checks.add(Check.failed(Check.CREDENTIAL, String.join("; ", problems)));
            skipFrom(Check.ISS, "not checked: the payload is not a credential");
            return report(Optional.empty(), List.of());
        }
        return judged(credential, true, key.kid(), jws.alg(), keys);
    }

    /**
     * The checks of an authenticated credential: its form, the JWT's claims ({@code jwt} only), its
     * dates, status and schema, and for a learner record its bundled credentials.
     */
    private VerificationReport judged(CredentialPayload credential, boolean jwt, String keyId, String alg, TrustedKeys keys) {
        boolean wellFormed = run(new CredentialFormCheck(), credential);
        if (jwt) {
            run(ClaimCheck.iss(), credential);
            run(ClaimCheck.jti(), credential);
            run(ClaimCheck.sub(), credential);
        }
        run(new ValidFromCheck(settings.clock(), settings.clockSkew(), jwt), credential);
        run(new ValidUntilCheck(settings.clock(), settings.clockSkew(), jwt), credential);
        Optional<StatusStanding> standing = standing(credential, keys);
        standing.ifPresent(s -> run(new StatusCheck(), s));
        run(new SchemaCheck(settings.schemas()), credential);
        Instant validFrom = CredentialPayload.dateTime(credential.validFrom());
        if (!wellFormed || validFrom == null) {
            if (credential.isLearnerRecord()) {
                checks.add(Check.skipped(Check.BUNDLED_CREDENTIALS, "not checked: the learner record is not valid"));
            }
            return report(Optional.empty(), List.of());
        }
        if (credential.isLearnerRecord()) {
            return learnerRecord(credential, keyId, alg, keys);
        }
        return report(Optional.of(CredentialSummary.of(credential, keyId, alg, validFrom,
                ValidUntilCheck.expiry(credential), standing)), List.of());
    }

    /**
     * A CLR 2.0 learner record, whose own claims and dates were checked as a credential's: every
     * credential it bundles is judged by the {@link BundledCredentialsCheck} and summarised.
     */
    private VerificationReport learnerRecord(CredentialPayload record, String keyId, String alg, TrustedKeys keys) {
        List<BundledCredentialsCheck.Bundled> bundled = new ArrayList<>();
        List<CredentialSummary> summaries = new ArrayList<>();
        for (CredentialPayload credential : record.bundled()) {
            Optional<StatusStanding> standing = standing(credential, keys);
            bundled.add(new BundledCredentialsCheck.Bundled(credential, standing,
                    credential.claim("proof") == null ? Optional.empty() : Optional.ofNullable(embeddedProofFailure(credential.json()))));
            Instant from = CredentialPayload.dateTime(credential.validFrom());
            if (from != null) {
                summaries.add(CredentialSummary.of(credential, keyId, alg, from,
                        CredentialPayload.dateTime(credential.validUntil()), standing));
            }
        }
        run(new BundledCredentialsCheck(settings.clock(), settings.clockSkew()), bundled);
        return report(Optional.empty(), summaries);
    }

    /**
     * Why a bundled credential's own Data Integrity proof does not verify (its form, its key, its
     * signature, checked as for a credential on its own), or {@code null} when it does.
     */
    private String embeddedProofFailure(JsonNode document) {
        Verification own = new Verification(settings, new ArrayList<>());
        own.order = DATA_INTEGRITY_CHECKS;
        EddsaRdfc2022.Secured secured;
        try {
            secured = EddsaRdfc2022.split(document);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String method = CredentialPayload.text(secured.proof().get("verificationMethod"));
        if (!own.run(new DataIntegrityProofCheck(settings.clock(), settings.clockSkew()), secured.proof())) {
            return own.checks.get(own.checks.size() - 1).detail();
        }
        DidResolver.ProofKey key = settings.proofKeys().proofKey(method);
        CredentialPayload credential = CredentialPayload.parse(secured.unsecured().toString().getBytes(StandardCharsets.UTF_8),
                new ArrayList<>());
        if (!own.run(new VerificationMethodCheck(), new VerificationMethodCheck.Subject(key, credential.issuerId()))
                || !own.run(new ProofSignatureCheck(settings.suite()), new ProofSignatureCheck.Subject(secured, key.key(), method))) {
            return own.checks.get(own.checks.size() - 1).detail();
        }
        return null;
    }

    /** What the status lists say, when the credential has a {@code credentialStatus}. */
    private Optional<StatusStanding> standing(CredentialPayload credential, TrustedKeys keys) {
        JsonNode credentialStatus = credential.credentialStatus();
        if (credentialStatus == null) {
            return Optional.empty();
        }
        if (!settings.checkStatus()) {
            return Optional.of(new StatusStanding(StatusStanding.State.NOT_CHECKED, "status checking is turned off, "
                    + "so whether the issuer revoked or suspended this credential is unknown"));
        }
        if (keys == null) {
            return Optional.of(new StatusStanding(StatusStanding.State.UNKNOWN, "cannot retrieve the issuer's keys "
                    + "that sign its status lists, so whether it revoked or suspended this credential is unknown"));
        }
        if (statusLists == null) {
            // One reader per verification: each list is fetched once, however many entries name it.
            statusLists = new StatusListReader(settings.statusLists(), keys, settings.clock(), settings.clockSkew(),
                    settings.verifiedLists());
        }
        return Optional.of(statusLists.standing(credentialStatus, credential.issuerId()));
    }

    /** Runs a check that applies, records it, and says whether it passed (or did not apply). */
    private <T> boolean run(CredentialCheck<T> check, T subject) {
        if (!check.appliesTo(subject)) {
            return true;
        }
        Check result = check.check(subject);
        checks.add(result);
        return result.outcome() == Check.Outcome.PASSED;
    }

    /** Reports every JWS check after the last one as not run. */
    private VerificationReport stop() {
        Check last = checks.get(checks.size() - 1);
        skipFrom(order.get(order.indexOf(last.name()) + 1), "not checked: " + last.name()
                + (last.isCannotTell() ? " could not tell" : " failed"));
        return report(Optional.empty(), List.of());
    }

    private void skipFrom(String first, String reason) {
        order.subList(order.indexOf(first), order.size())
                .forEach(name -> checks.add(Check.skipped(name, reason)));
    }

    private VerificationReport report(Optional<CredentialSummary> summary, List<CredentialSummary> bundled) {
        return new VerificationReport(checks, summary, bundled);
    }

    /** A report for input that could not be read at all. */
    static VerificationReport notRead(List<Check> checks, String reason) {
        checks.add(Check.failed(Check.INPUT, reason));
        JWS_CHECKS.forEach(name -> checks.add(Check.skipped(name, "not checked: the credential could not be read")));
        return new VerificationReport(checks, Optional.empty());
    }
}
