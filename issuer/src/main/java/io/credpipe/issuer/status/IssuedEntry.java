package io.credpipe.issuer.status;

import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import java.time.Instant;
import java.util.Objects;

/**
 * What the issuing task keeps of each credential it signed: enough to refuse a replay, to check
 * that a status command names the operator's own credential, to find the credential's status
 * entry, to announce its expiry, and what happened to it. The signed credential itself goes to the
 * {@code credentials} topic once; keeping ~20 KB of JWT in the task's store as well would write every
 * credential to Kafka twice.
 *
 * <p>A credential with a one-bit {@code revocation} entry is suspended by revoking it with the
 * suspension recorded here; reinstating it issues the same achievement afresh (see
 * {@link StatusRules}). The achievement to issue again is not in this entry: the task keeps the
 * achievement's record as it arrived, by credential id, beside it. Written into every entry, it
 * made the entry ten times larger and cost each credential a JSON serialisation of the whole
 * achievement and its bytes in the store's changelog (measured in {@code bench/results/issuer.md}).
 * Entries of credentials issued with a two-bit {@code message} entry have none of the newer fields:
 * their status lives in their list alone.
 *
 * @param operatorId the credential's holder
 * @param listId the status list of its {@code credentialStatus}
 * @param index its index in that list
 * @param framework the framework of the achievement it certifies; {@code null} for a credential
 *     issued before suspension became a revocation
 * @param level the level it certifies; {@code null} when {@code framework} is
 * @param validUntil its {@code validUntil}; {@code null} when it does not expire
 * @param achievement the achievement it certifies, in entries written from 2026-12-04 to 2026-12-06,
 *     before the achievement's record was kept beside the entry; {@code null} in every newer entry
 * @param reissue 0 for the first credential of the achievement, n for its n-th reissue
 * @param revokedBecause why it was revoked; {@code null} while it is not
 * @param suspended whether its revocation is a suspension, which reinstatement undoes
 * @param reissuedAs the id of the credential that replaced it on reinstatement; {@code null} if none
 * @param expiryNoticed whether its coming expiry was announced on {@code deliveries}, which happens once
 * @param supersededBy the id of the credential a renewal of the same level issued after it, whose
 *     holder needs no notice that this one lapses; {@code null} while none has
 */
public record IssuedEntry(String operatorId, String listId, int index, FrameworkId framework, Level level,
        Instant validUntil, LevelAchieved achievement, int reissue, String revokedBecause, boolean suspended,
        String reissuedAs, boolean expiryNoticed, String supersededBy) {

    public IssuedEntry {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(listId, "listId");
        if (index < 0) {
            throw new IllegalArgumentException("a status list index is not negative: " + index);
        }
        if (reissue < 0) {
            throw new IllegalArgumentException("a reissue number is not negative: " + reissue);
        }
        // An entry of the two days when it held the whole achievement reads like a newer one.
        if (achievement != null && framework == null) {
            framework = achievement.framework();
            level = achievement.level();
            validUntil = achievement.validUntil();
        }
        if ((framework == null) != (level == null)) {
            throw new IllegalArgumentException("an entry names both its framework and its level, or neither");
        }
    }

    /** An entry with nothing recorded but where its status is. */
    public IssuedEntry(String operatorId, String listId, int index) {
        this(operatorId, listId, index, null, null, null, null, 0, null, false, null, false, null);
    }

    /** A newly issued credential of {@code achievement}, reissue {@code reissue}. */
    public static IssuedEntry issued(LevelAchieved achievement, StatusLists.Position position, int reissue) {
        return new IssuedEntry(achievement.operator().id(), position.listId(), position.index(),
                achievement.framework(), achievement.level(), achievement.validUntil(), null, reissue, null, false,
                null, false, null);
    }

    /** Where its status entry is. */
    public StatusLists.Position position() {
        return new StatusLists.Position(listId, index);
    }

    /**
     * Whether its achievement is known, and so can be issued again: every credential issued with a
     * one-bit revocation entry, none of the two-bit {@code message} lists.
     */
    public boolean achievementRecorded() {
        return framework != null;
    }

    /** Whether it is revoked (suspensions included), as this record knows. */
    public boolean revoked() {
        return revokedBecause != null;
    }

    /** This entry revoked for {@code reason}, as a suspension or not. */
    public IssuedEntry revokedFor(String reason, boolean suspension) {
        return new IssuedEntry(operatorId, listId, index, framework, level, validUntil, achievement, reissue,
                Objects.requireNonNull(reason, "reason"), suspension, reissuedAs, expiryNoticed, supersededBy);
    }

    /** This entry, replaced on reinstatement by credential {@code credentialId}. */
    public IssuedEntry reissuedAs(String credentialId) {
        return new IssuedEntry(operatorId, listId, index, framework, level, validUntil, achievement, reissue,
                revokedBecause, suspended, Objects.requireNonNull(credentialId, "credentialId"), expiryNoticed, supersededBy);
    }

    /** This entry, its coming expiry announced. */
    public IssuedEntry withExpiryNoticed() {
        return new IssuedEntry(operatorId, listId, index, framework, level, validUntil, achievement, reissue,
                revokedBecause, suspended, reissuedAs, true, supersededBy);
    }

    /** This entry, superseded by the renewal issued as credential {@code credentialId}. */
    public IssuedEntry supersededBy(String credentialId) {
        return new IssuedEntry(operatorId, listId, index, framework, level, validUntil, achievement, reissue,
                revokedBecause, suspended, reissuedAs, expiryNoticed, Objects.requireNonNull(credentialId, "credentialId"));
    }
}
