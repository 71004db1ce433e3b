package io.credpipe.model.event;

import java.time.Instant;

/**
 * The instants an assessment's {@code occurredAt} may name, shared by every stage that reads events
 * (each also refuses, with its own clock, an {@code occurredAt} in the future).
 *
 * <ul>
 *   <li>Not before {@link #EARLIEST}, the Unix epoch: a credential's {@code nbf} and {@code exp} are JWT
 *       NumericDates, seconds since the epoch (RFC 7519 §2), and an assessment from before it is a typing
 *       error (year {@code 0000}), not history. Under an evidence validity such a pass would otherwise be
 *       met, and issued, already expired.
 *   <li>Not after {@link #LATEST}, so that its expiry under the longest evidence validity
 *       ({@code LevelPolicyFormat.MAX_EVIDENCE_VALIDITY_YEARS}) still has the four-digit year an RFC 3339
 *       {@code date-time} (§5.6) can carry.
 * </ul>
 */
public final class OccurredAt {

    /** The earliest {@code occurredAt} accepted. */
    public static final Instant EARLIEST = Instant.EPOCH;

    /** The latest {@code occurredAt} accepted, whatever a stage's clock says. */
    public static final Instant LATEST = Instant.parse("9899-12-31T23:59:59.999999999Z");

    private OccurredAt() {}

    /** Whether {@code occurredAt} lies within {@link #EARLIEST} and {@link #LATEST}, both included. */
    public static boolean inRange(Instant occurredAt) {
        return !occurredAt.isBefore(EARLIEST) && !occurredAt.isAfter(LATEST);
    }
}
