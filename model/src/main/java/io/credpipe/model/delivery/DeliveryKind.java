package io.credpipe.model.delivery;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened between credpipe and an operator about one of their credentials. */
public enum DeliveryKind {
    /** A credential was signed for the operator. */
    ISSUED,
    /** A credential was revoked, by a lost level or an administrator. */
    REVOKED,
    /** A credential was suspended (a revocation with its reason recorded). */
    SUSPENDED,
    /** A suspended achievement was reinstated: a fresh credential replaces the suspended one. */
    REINSTATED,
    /** A credential lapses at its {@code validUntil} within the notice period (30 days). */
    EXPIRING,
    /** A wallet offer (OpenID4VCI) or exchange was created for the credential. */
    OFFERED,
    /** A wallet redeemed an offer and received a copy bound to its holder key. */
    REDEEMED,
    /** The wallet reported that the holder accepted the credential (OpenID4VCI notification). */
    ACCEPTED,
    /** The wallet reported that the holder deleted or declined the credential (OpenID4VCI notification). */
    DELETED;

    /** The lower-case, hyphenated name used in JSON, e.g. {@code issued}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code id}. */
    @JsonCreator
    public static DeliveryKind parse(String id) {
        for (DeliveryKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown delivery kind " + id);
    }
}
