package io.credpipe.verifier.credential;

import java.time.Duration;
import java.time.Instant;

/**
 * When a credential (or a status list credential) may be relied on: from {@code validFrom} until
 * {@code validUntil} (VC 2.0 §4.9), either end open. Every "not yet valid / expired" decision of
 * the verifier is made here, allowing the same clock skew, so a credential, a credential bundled in
 * a learner record and a status list are judged alike.
 *
 * @param validFrom  the first moment of validity, or {@code null} for no lower bound
 * @param validUntil the last moment of validity, or {@code null} for never expiring
 */
public record ValidityPeriod(Instant validFrom, Instant validUntil) {

    /** No bounds: always valid. */
    public static final ValidityPeriod ALWAYS = new ValidityPeriod(null, null);

    /**
     * Whether the period has not begun yet, even allowing for an issuer clock up to {@code skew}
     * ahead of ours.
     *
     * @param now  the verifier's time
     * @param skew how far clocks may differ, not negative
     * @return {@code true} if {@code validFrom} is more than {@code skew} after {@code now}
     */
    public boolean notYetValid(Instant now, Duration skew) {
        return validFrom != null && validFrom.isAfter(now.plus(skew));
    }

    /**
     * Whether the period has ended, even allowing for an issuer clock up to {@code skew} behind ours.
     *
     * @param now  the verifier's time
     * @param skew how far clocks may differ, not negative
     * @return {@code true} if {@code validUntil} is more than {@code skew} before {@code now}
     */
    public boolean expired(Instant now, Duration skew) {
        return validUntil != null && now.minus(skew).isAfter(validUntil);
    }

    /**
     * Whether {@code now} is within the period, allowing {@code skew} at both ends.
     *
     * @param now  the verifier's time
     * @param skew how far clocks may differ
     * @return {@code true} if neither {@linkplain #notYetValid not yet valid} nor {@linkplain #expired expired}
     */
    public boolean current(Instant now, Duration skew) {
        return !notYetValid(now, skew) && !expired(now, skew);
    }

    /**
     * The part of this period that lies within {@code other} too: the later start, the earlier end.
     * A status list bounded both by {@code validFrom}/{@code validUntil} and by {@code nbf}/{@code exp}
     * is valid only where both say so.
     *
     * @param other another period
     * @return the intersection (possibly empty, which is then never current)
     */
    public ValidityPeriod within(ValidityPeriod other) {
        Instant from = validFrom == null ? other.validFrom
                : other.validFrom == null || validFrom.isAfter(other.validFrom) ? validFrom : other.validFrom;
        Instant until = validUntil == null ? other.validUntil
                : other.validUntil == null || validUntil.isBefore(other.validUntil) ? validUntil : other.validUntil;
        return new ValidityPeriod(from, until);
    }

    /**
     * How messages mention the skew allowed, e.g. {@code " (allowing 5 min of clock skew)"}.
     *
     * @param skew the skew
     * @return the note with a leading space, or {@code ""} for none
     */
    public static String skewNote(Duration skew) {
        return skew.isZero() ? "" : " (allowing " + skew.toMinutes() + " min of clock skew)";
    }
}
