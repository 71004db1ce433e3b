package io.credpipe.verifier.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.credpipe.model.integrity.EddsaRdfc2022;
import io.credpipe.verifier.Check;
import io.credpipe.verifier.credential.CredentialPayload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link Check#PROOF}: the embedded proof is one this verifier checks: a {@code DataIntegrityProof}
 * with cryptosuite {@code eddsa-rdfc-2022} (Data Integrity EdDSA Cryptosuites v1.0 §3.3), purpose
 * {@code assertionMethod} (the issuer asserts the credential), a {@code verificationMethod}, and a
 * {@code created} no later than now (VC Data Integrity §2.1; clock skew allowed) and an
 * {@code expires}, if any, not yet passed.
 */
public final class DataIntegrityProofCheck implements CredentialCheck<JsonNode> {

    private final Clock clock;
    private final Duration skew;

    public DataIntegrityProofCheck(Clock clock, Duration skew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    @Override
    public String name() {
        return Check.PROOF;
    }

    @Override
    public Check check(JsonNode proof) {
        String type = CredentialPayload.text(proof.get("type"));
        if (!EddsaRdfc2022.PROOF_TYPE.equals(type)) {
            return Check.failed(name(), "the proof is a " + type + ", not a " + EddsaRdfc2022.PROOF_TYPE);
        }
        String suite = CredentialPayload.text(proof.get("cryptosuite"));
        if (!EddsaRdfc2022.CRYPTOSUITE.equals(suite)) {
            return Check.failed(name(), "the proof's cryptosuite is " + suite + "; this verifier checks " + EddsaRdfc2022.CRYPTOSUITE);
        }
        String purpose = CredentialPayload.text(proof.get("proofPurpose"));
        if (!EddsaRdfc2022.ASSERTION_METHOD.equals(purpose)) {
            return Check.failed(name(), "the proof's purpose is " + purpose + ", not assertionMethod: it does not assert the credential");
        }
        if (CredentialPayload.text(proof.get("verificationMethod")) == null) {
            return Check.failed(name(), "the proof names no verificationMethod");
        }
        if (CredentialPayload.text(proof.get("proofValue")) == null) {
            return Check.failed(name(), "the proof has no proofValue");
        }
        Instant now = clock.instant();
        String createdText = CredentialPayload.text(proof.get("created"));
        if (createdText != null) {
            Instant created = CredentialPayload.dateTime(createdText);
            if (created == null) {
                return Check.failed(name(), "the proof's created " + createdText + " is not a date-time");
            }
            if (created.isAfter(now.plus(skew))) {
                return Check.failed(name(), "the proof was made in the future (" + createdText + ")");
            }
        }
        String expiresText = CredentialPayload.text(proof.get("expires"));
        if (expiresText != null) {
            Instant expires = CredentialPayload.dateTime(expiresText);
            if (expires == null || expires.isBefore(now.minus(skew))) {
                return Check.failed(name(), "the proof expired (" + expiresText + ")");
            }
        }
        return Check.passed(name(), EddsaRdfc2022.PROOF_TYPE + " " + suite + " for assertionMethod"
                + (createdText == null ? "" : ", made " + createdText));
    }
}
