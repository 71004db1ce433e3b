package io.credpipe.issuer.status;

import io.credpipe.model.credential.IssuedCredential;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of an operator's credentials a renewal replaced. The evaluator renews a level whenever a
 * pass extends its validity: the next achievement of the same level, a new credential, while the
 * earlier one stays valid until its own {@code validUntil} (DESIGN.md, decision rule). The holder
 * shares the renewal; the earlier one is kept, not revoked, but nothing should offer it as the
 * level's credential.
 */
public final class Renewals {

    private Renewals() {}

    /**
     * The newest credential among {@code others} that renews {@code record}'s: a later achievement
     * (higher sequence) of the same framework and level, neither revoked nor suspended. A reissue on
     * reinstatement has its credential's sequence, so it renews nothing.
     */
    public static Optional<IssuedCredential> renewalOf(CredentialRecord record, List<CredentialRecord> others) {
        IssuedCredential issued = record.issued();
        return others.stream()
                .filter(other -> other.issued().framework().equals(issued.framework()) && other.issued().level() == issued.level()
                        && other.issued().sequence() > issued.sequence()
                        && other.standing().map(s -> !s.revoked() && !s.suspended()).orElse(true))
                .map(CredentialRecord::issued)
                .max(Comparator.comparingInt(IssuedCredential::sequence));
    }

    /**
     * The credentials of {@code records} current at {@code now} that no other current one renews:
     * one per level the operator holds, the one to present.
     */
    public static List<CredentialRecord> currentUnrenewed(List<CredentialRecord> records, Instant now) {
        List<CredentialRecord> current = records.stream().filter(record -> record.currentAt(now)).toList();
        return current.stream().filter(record -> renewalOf(record, current).isEmpty()).toList();
    }
}
