package io.credpipe.issuer.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long private links stay open: {@link #DEFAULT} unless configured, and never longer than
 * {@link #MAXIMUM}, so a forgotten link in an old mailbox stops working within a year whatever an
 * HR system asks for.
 *
 * @param standard the validity of a link created without one asked for
 */
public record LinkValidity(Duration standard) {

    /** 30 days: long enough to open a mail after a holiday, short enough to bound a leaked link. */
    public static final Duration DEFAULT = Duration.ofDays(30);
    /** The longest validity a link may have. */
    public static final Duration MAXIMUM = Duration.ofDays(365);
    /** The shortest: a link must survive being mailed and opened. */
    public static final Duration MINIMUM = Duration.ofMinutes(5);

    public LinkValidity {
        Objects.requireNonNull(standard, "standard");
        check(standard);
    }

    /** The default validity of 30 days. */
    public static LinkValidity defaults() {
        return new LinkValidity(DEFAULT);
    }

    /**
     * When a link created at {@code now} expires: after {@code asked} when given, else after the standard validity.
     *
     * @throws IllegalArgumentException when {@code asked} is shorter than {@link #MINIMUM} or longer than {@link #MAXIMUM}
     */
    public Instant expiry(Instant now, Duration asked) {
        Duration validity = asked == null ? standard : asked;
        check(validity);
        return now.plus(validity);
    }

    private static void check(Duration validity) {
        if (validity.compareTo(MINIMUM) < 0 || validity.compareTo(MAXIMUM) > 0) {
            throw new IllegalArgumentException("a link is valid for " + MINIMUM.toMinutes() + " minutes to "
                    + MAXIMUM.toDays() + " days, not " + validity);
        }
    }
}
