package io.credpipe.verifier;

import java.util.Objects;

/**
 * One step of a credential verification and how it went.
 *
 * <p>A {@link VerificationReport} lists its checks in the order they ran. The names are stable
 * identifiers (constants of this class) that programs may branch on; the detail is for people and
 * may change wording between releases.
 *
 * @param name    the check's stable name, e.g. {@link #SIGNATURE}
 * @param outcome whether the check passed, failed, could not tell, or was not run
 * @param detail  what was found, or why the check failed or was skipped; never {@code null}
 */
public record Check(String name, Outcome outcome, String detail) {

    /** Reading the credential from a file or URL; present only for those inputs. */
    public static final String INPUT = "input";

    /** The input is a JWS in compact serialization with canonical base64url segments (RFC 7515 §7.1). */
    public static final String COMPACT_JWS = "compact-jws";

    /** The header {@code alg} is an asymmetric signature algorithm this verifier accepts. */
    public static final String ALGORITHM = "algorithm";

    /** The header {@code typ}, when present, is {@code JWT} or {@code vc+jwt}; no {@code crit}. */
    public static final String HEADER = "header";

    /** The trusted public keys could be loaded (from a JWK set, a file or a URL). */
    public static final String TRUSTED_KEYS = "trusted-keys";

    /** The header {@code kid} names a trusted key whose type fits {@code alg}. */
    public static final String KID = "kid";

    /** The JWS signature verifies with that key (RFC 7515 §5.2). */
    public static final String SIGNATURE = "signature";

    /**
     * For a credential with an embedded proof: it is one {@code DataIntegrityProof} with cryptosuite
     * {@code eddsa-rdfc-2022} and purpose {@code assertionMethod} (W3C VC Data Integrity §2.1), made
     * no later than now and not expired.
     */
    public static final String PROOF = "proof";

    /**
     * For a credential with an embedded proof: the key its {@code verificationMethod} names was found
     * through its DID ({@code did:web} document or {@code did:key}), as an assertion method of the
     * DID that is the credential's issuer (or controls the issuer's web origin).
     */
    public static final String VERIFICATION_METHOD = "verification-method";

    /** The payload is a VC 2.0 / Open Badges 3.0 credential. */
    public static final String CREDENTIAL = "credential";

    /** The {@code iss} claim equals the credential's issuer id (OB 3.0 §8.2.6). */
    public static final String ISS = "iss";

    /** The {@code jti} claim equals the credential's id (OB 3.0 §8.2.6). */
    public static final String JTI = "jti";

    /** The {@code sub} claim equals the subject's id (OB 3.0 §8.2.6). */
    public static final String SUB = "sub";

    /** {@code nbf} equals {@code validFrom}, and that moment has come (OB 3.0 §8.2.6, §9.1). */
    public static final String VALID_FROM = "valid-from";

    /** {@code exp} agrees with {@code validUntil}, and that moment has not passed (OB 3.0 §8.2.6, §9.1). */
    public static final String VALID_UNTIL = "valid-until";

    /**
     * The credential's status from its issuer's status lists (W3C Bitstring Status List v1.0 §3.2);
     * reported only when the credential has a {@code credentialStatus}. Fails when the credential is
     * revoked or suspended; cannot tell when its status cannot be established (a list that cannot be
     * fetched, has expired or is not signed by the credential's issuer); skipped when status checking
     * is turned off ({@link CredentialVerifier.Builder#checkStatus(boolean)}).
     */
    public static final String STATUS = "status";

    /**
     * For a CLR 2.0 learner record: every credential it bundles is within its validity period and,
     * unless status checking is turned off, neither revoked nor suspended in its issuer's status
     * lists (nor of unknown status), and any embedded Data Integrity proof a bundled credential
     * carries verifies. The record's signature vouches for them, so {@link #CREDENTIAL} requires
     * them to be the record issuer's, about the record's subject.
     */
    public static final String BUNDLED_CREDENTIALS = "bundled-credentials";

    /**
     * JSON Schema validation against the credential's {@code credentialSchema} (OB 3.0 §9.1 step
     * 1), with bundled copies of 1EdTech's schemas; reported only when the credential names one,
     * and unable to tell for a schema this verifier does not hold.
     */
    public static final String CREDENTIAL_SCHEMA = "credential-schema";

    /**
     * Creates a check.
     *
     * @param name    the check's stable name
     * @param outcome the outcome
     * @param detail  what was found, or why the check failed or was skipped
     * @throws NullPointerException if any argument is {@code null}
     */
    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * A check that passed.
     *
     * @param name   the check's stable name
     * @param detail what was found
     * @return the check
     */
    public static Check passed(String name, String detail) {
        return new Check(name, Outcome.PASSED, detail);
    }

    /**
     * A check that failed: the credential is not verified.
     *
     * @param name   the check's stable name
     * @param detail why it failed
     * @return the check
     */
    public static Check failed(String name, String detail) {
        return new Check(name, Outcome.FAILED, detail);
    }

    /**
     * A check that ran but could not decide, e.g. because the status list could not be fetched:
     * the credential is not verified, but nothing shows it to be invalid either.
     *
     * @param name   the check's stable name
     * @param detail why it could not tell, in plain language
     * @return the check
     */
    public static Check cannotTell(String name, String detail) {
        return new Check(name, Outcome.CANNOT_TELL, detail);
    }

    /**
     * A check that was not run.
     *
     * @param name   the check's stable name
     * @param detail why it was not run
     * @return the check
     */
    public static Check skipped(String name, String detail) {
        return new Check(name, Outcome.SKIPPED, detail);
    }

    /**
     * Whether this check failed.
     *
     * @return {@code true} if the outcome is {@link Outcome#FAILED}
     */
    public boolean isFailed() {
        return outcome == Outcome.FAILED;
    }

    /**
     * Whether this check ran but could not decide.
     *
     * @return {@code true} if the outcome is {@link Outcome#CANNOT_TELL}
     */
    public boolean isCannotTell() {
        return outcome == Outcome.CANNOT_TELL;
    }

    /** The result of one {@link Check}. */
    public enum Outcome {
        /** The check ran and the credential met it. */
        PASSED,
        /** The check ran and the credential did not meet it: the credential is not verified. */
        FAILED,
        /** The check did not run, because an earlier check failed or it is not performed. */
        SKIPPED,
        /**
         * The check ran but could not decide: what it needs (a status list, a schema) could not be
         * had or trusted. The credential is not verified, but is not shown invalid either; e.g. a
         * status list that cannot be fetched, has expired or is not signed by the issuer.
         */
        CANNOT_TELL
    }
}
