package io.credpipe.issuer.delivery;

import io.credpipe.issuer.status.IssuedEntry;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.credential.StatusAction;
import io.credpipe.model.delivery.DeliveryEvent;
import io.credpipe.model.delivery.DeliveryKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The delivery events the issuer's stream decides (DESIGN.md "deliveries"): what an issue, a status
 * change or an approaching expiry tells HR systems and notifiers. Identifiers only, never an e-mail
 * address or a link's token.
 */
public final class DeliveryEvents {

    /** How long before its {@code validUntil} a credential is announced as expiring. */
    public static final Duration EXPIRY_NOTICE = Duration.ofDays(30);

    private DeliveryEvents() {}

    /** A credential was issued. */
    public static DeliveryEvent issued(IssuedCredential credential) {
        return new DeliveryEvent(DeliveryKind.ISSUED, credential.operatorId(), credential.credentialId(),
                credential.framework().toString(), credential.level().id(), credential.issuedAt(), null, null);
    }

    /** A suspended credential was reinstated as {@code replacement}. */
    public static DeliveryEvent reinstated(IssuedCredential replacement, String suspendedId) {
        return new DeliveryEvent(DeliveryKind.REINSTATED, replacement.operatorId(), replacement.credentialId(),
                replacement.framework().toString(), replacement.level().id(), replacement.issuedAt(),
                "replaces suspended credential " + suspendedId, null);
    }

    /**
     * The credential recorded as {@code entry} was revoked ({@code suspension} false) or suspended,
     * for {@code why}.
     */
    public static DeliveryEvent revoked(String credentialId, IssuedEntry entry, boolean suspension, String why,
            Instant at) {
        return new DeliveryEvent(suspension ? DeliveryKind.SUSPENDED : DeliveryKind.REVOKED, entry.operatorId(),
                credentialId, frameworkOf(entry), levelOf(entry), at, why, null);
    }

    /**
     * What a status {@code action} (null: a lost level) did to a credential of a two-bit
     * {@code message} list, where the list alone records it.
     */
    public static DeliveryEvent changed(String credentialId, IssuedEntry entry, StatusAction action, String why,
            Instant at) {
        if (action == StatusAction.REINSTATE) {
            return new DeliveryEvent(DeliveryKind.REINSTATED, entry.operatorId(), credentialId, frameworkOf(entry),
                    levelOf(entry), at, why, null);
        }
        return revoked(credentialId, entry, action == StatusAction.SUSPEND, why, at);
    }

    /**
     * The expiry notice of the credential recorded as {@code entry}, when one is due at {@code now}:
     * it is current (not revoked, not replaced), no renewal of its level has superseded it, it has
     * not been announced, and it lapses within {@link #EXPIRY_NOTICE} but not yet.
     */
    public static Optional<DeliveryEvent> expiring(String credentialId, IssuedEntry entry, Instant now) {
        if (!entry.achievementRecorded() || entry.validUntil() == null || entry.revoked() || entry.reissuedAs() != null
                || entry.supersededBy() != null || entry.expiryNoticed()) {
            return Optional.empty();
        }
        Instant lapses = entry.validUntil();
        if (!lapses.isAfter(now) || lapses.isAfter(now.plus(EXPIRY_NOTICE))) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryEvent(DeliveryKind.EXPIRING, entry.operatorId(), credentialId,
                frameworkOf(entry), levelOf(entry), now, "lapses at " + lapses, null));
    }

    private static String frameworkOf(IssuedEntry entry) {
        return entry.framework() == null ? null : entry.framework().toString();
    }

    private static String levelOf(IssuedEntry entry) {
        return entry.level() == null ? null : entry.level().id();
    }
}
