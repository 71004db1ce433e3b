package io.credpipe.issuer.status;

import io.credpipe.model.credential.StatusAction;

/**
 * What a status command or a lost level does to a credential with a one-bit {@code revocation}
 * entry (DESIGN.md "Credential (issuer)"): revocation is final; a suspension is a revocation with
 * the suspension recorded; reinstating a suspended credential issues the same achievement afresh,
 * so no verifier ever reads a suspended credential as valid and the holder ends with exactly one
 * valid credential for the level. Commands on a credential that was replaced, or changes that
 * change nothing, are {@link None}.
 */
public final class StatusRules {

    /** What to do. */
    public sealed interface Change {}

    /** Nothing changes. */
    public record None(String why) implements Change {}

    /** Set the credential's revocation bit and keep {@code entry}. */
    public record Revoke(IssuedEntry entry) implements Change {}

    /** The list stays as it is (the bit is set already); only the record becomes {@code entry}. */
    public record Record(IssuedEntry entry) implements Change {}

    /** Issue the achievement again as reissue {@code reissue}, replacing the suspended credential. */
    public record Reissue(int reissue) implements Change {}

    private StatusRules() {}

    /** What {@code action}, asked for {@code reason}, does to the credential recorded as {@code entry}. */
    public static Change command(IssuedEntry entry, StatusAction action, String reason) {
        if (entry.reissuedAs() != null) {
            return new None("it was replaced by " + entry.reissuedAs() + " when it was reinstated");
        }
        return switch (action) {
            case REVOKE -> revoke(entry, reason);
            case SUSPEND -> entry.revoked()
                    ? new None(entry.suspended() ? "it is suspended already" : "it is revoked")
                    : new Revoke(entry.revokedFor(reason, true));
            case REINSTATE -> {
                if (!entry.suspended()) {
                    yield new None(entry.revoked() ? "a revocation is final" : "it is not suspended");
                }
                if (!entry.achievementRecorded()) {
                    yield new None("its achievement was not recorded, so it cannot be issued again");
                }
                yield new Reissue(entry.reissue() + 1);
            }
        };
    }

    /** What losing the level does to the current credential of the achievement, recorded as {@code entry}. */
    public static Change levelLost(IssuedEntry entry, String reason) {
        return revoke(entry, reason);
    }

    /** A revocation; a suspended credential stays revoked but can no longer be reinstated. */
    private static Change revoke(IssuedEntry entry, String reason) {
        if (!entry.revoked()) {
            return new Revoke(entry.revokedFor(reason, false));
        }
        if (entry.suspended()) {
            return new Record(entry.revokedFor(reason, false));
        }
        return new None("it is revoked already");
    }
}
