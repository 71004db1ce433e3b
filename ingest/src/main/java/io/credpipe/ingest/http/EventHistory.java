package io.credpipe.ingest.http;

import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import java.util.List;
import java.util.Optional;

/**
 * What the topics say about one event, the port of {@code GET /v1/assessments/{source}/{eventId}}
 * given by the service root.
 */
public interface EventHistory {

    /**
     * The event as accepted, with its place in {@code assessments}.
     *
     * @param source  the source
     * @param eventId the event id
     * @return the event, if it was accepted
     */
    Optional<Placed<AssessmentEvent>> accepted(String source, String eventId);

    /**
     * Its rejections, by any stage, oldest first.
     *
     * @param source  the source
     * @param eventId the event id
     * @return the rejections
     */
    List<Placed<Rejection>> rejections(String source, String eventId);

    /**
     * The level decisions it caused, oldest first.
     *
     * @param operatorId the event's operator
     * @param eventId    the event id
     * @return the decisions
     */
    List<Placed<LevelDecision>> decisions(String operatorId, String eventId);

    /**
     * A value and where it is.
     *
     * @param value     the value
     * @param topic     its topic
     * @param partition its partition
     * @param offset    its offset
     * @param <V>       the value type
     */
    record Placed<V>(V value, String topic, int partition, long offset) {}
}
