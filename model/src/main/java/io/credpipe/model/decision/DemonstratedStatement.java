package io.credpipe.model.decision;

import io.credpipe.model.event.Assessor;
import java.time.Instant;

/**
 * A statement counted towards a level: the passing assessment that demonstrates it.
 *
 * @param statementId the statement, e.g. {@code 51-8091.00@v.26.05/emerging/1}
 * @param eventId the assessment event that demonstrated it
 * @param assessor who assessed it
 * @param method how it was assessed, when known
 * @param occurredAt when it was assessed
 * @param expiresAt when the pass stops counting under the policy's evidence validity; {@code null} for never
 */
public record DemonstratedStatement(
        String statementId, String eventId, Assessor assessor, String method, Instant occurredAt, Instant expiresAt) {}
