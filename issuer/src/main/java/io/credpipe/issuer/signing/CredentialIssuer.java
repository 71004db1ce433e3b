package io.credpipe.issuer.signing;

import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IdentitySalts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.model.credential.CredentialId;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.Framework;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns an achieved level into a signed credential: derives the credential id and salt, assembles
 * the Open Badges credential and signs it. Deciding whether to issue at all (replays, unknown
 * frameworks) is the caller's business.
 */
public final class CredentialIssuer {

    private final CredentialAssembler assembler;
    private final IdentitySalts salts;
    private final CredentialSigner signer;
    private final Clock clock;

    /**
     * @param assembler builds the credential
     * @param salts derives each credential's identifier salt
     * @param signer signs with the active key
     * @param clock the time of issue
     */
    public CredentialIssuer(CredentialAssembler assembler, IdentitySalts salts, CredentialSigner signer, Clock clock) {
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.salts = Objects.requireNonNull(salts, "salts");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The signer, for documents other than credentials that the issuer signs with the same proof. */
    public CredentialSigner signer() {
        return signer;
    }

    /** The clock of issue. */
    public Clock clock() {
        return clock;
    }

    /**
     * The namespace of reissued credentials' ids (a random UUID fixed forever): a reissue is named
     * after the first credential of its achievement and its number, never after a later achievement
     * sequence, which the evaluator hands out when the level is met again.
     */
    static final UUID REISSUE_NAMESPACE = UUID.fromString("0b8e2f4c-6d1a-4f3e-9c57-8a2d7e19b460");

    /**
     * The deterministic id of the credential {@code achievement} earns, derived with the issuer's
     * secret ({@link IdentitySalts#credentialId}).
     */
    public CredentialId credentialId(LevelAchieved achievement) {
        return salts.credentialId(achievement.operator().id(), achievement.framework(), achievement.level(),
                achievement.sequence());
    }

    /**
     * The id the credential {@code achievement} earns had before ids were derived with the secret: a
     * name-based UUID of a published namespace. Only for finding credentials issued then.
     */
    public static CredentialId legacyCredentialId(LevelAchieved achievement) {
        return CredentialId.of(achievement.operator().id(), achievement.framework(), achievement.level(),
                achievement.sequence());
    }

    /** The issuer's secret-derived identifiers; see {@link IdentitySalts}. */
    public IdentitySalts salts() {
        return salts;
    }

    /**
     * The deterministic id of reissue {@code reissue} of the credential {@code achievement} earns:
     * {@link #credentialId(LevelAchieved)} for 0, else a name-based UUID (RFC 9562 §5.5) of that id
     * and the number, so that replaying a reinstatement never issues twice.
     */
    public CredentialId credentialId(LevelAchieved achievement, int reissue) {
        CredentialId first = credentialId(achievement);
        if (reissue < 0) {
            throw new IllegalArgumentException("a reissue number is not negative: " + reissue);
        }
        return reissue == 0 ? first : new CredentialId(CredentialId.nameBased(REISSUE_NAMESPACE, first + "\n" + reissue));
    }

    /** Assembles and signs the credential for {@code achievement}, issued now, without a status entry. */
    public IssuedCredential issue(LevelAchieved achievement, Framework framework) {
        return issue(achievement, framework, null);
    }

    /**
     * Assembles and signs the credential for {@code achievement}, issued now.
     *
     * @param credentialStatus its status entry ({@link io.credpipe.issuer.status.StatusLists#entry}); {@code null} for none
     */
    public IssuedCredential issue(LevelAchieved achievement, Framework framework, ObjectNode credentialStatus) {
        return issue(achievement, framework, credentialStatus, 0);
    }

    /**
     * Assembles and signs reissue {@code reissue} of the credential for {@code achievement}, issued
     * now: the same achievement under the id {@link #credentialId(LevelAchieved, int)}.
     *
     * @param credentialStatus its status entry; {@code null} for none
     */
    public IssuedCredential issue(LevelAchieved achievement, Framework framework, ObjectNode credentialStatus,
            int reissue) {
        CredentialId id = credentialId(achievement, reissue);
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode credential = assembler.assembleForSigning(id, achievement, framework, issuedAt,
                salts.forAchievement(id, achievement.operator().id()), credentialStatus);
        SignedCredential signed = signer.sign(credential);
        Instant validUntil = achievement.validUntil() == null
                ? null
                : achievement.validUntil().truncatedTo(ChronoUnit.SECONDS);
        return new IssuedCredential(id.toString(), achievement.operator().id(), achievement.framework(),
                achievement.level(), achievement.sequence(), signed.jwt(), issuedAt, validUntil, signed.keyId());
    }
}
