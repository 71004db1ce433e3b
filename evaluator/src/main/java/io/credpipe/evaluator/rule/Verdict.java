package io.credpipe.evaluator.rule;

import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.Rejection;
import java.util.List;
import java.util.Objects;

/** What the evaluator made of one {@code assessments} record. */
public sealed interface Verdict {

    /**
     * The event is accepted; it may have changed no level.
     *
     * @param operatorId the operator, the key of every decision
     * @param decisions the level transitions, in the order to publish them
     */
    record Accepted(String operatorId, List<LevelDecision> decisions) implements Verdict {

        public Accepted {
            Objects.requireNonNull(operatorId, "operatorId");
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * The event is rejected.
     *
     * @param key the rejection's record key: the event id when it could be read, else the original key
     * @param rejection the rejection with the original record
     */
    record Rejected(String key, Rejection rejection) implements Verdict {

        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /**
     * The event was already accepted with the same content: a replay, which changes nothing.
     *
     * @param eventId the event's id
     */
    record Duplicate(String eventId) implements Verdict {}
}
