package io.credpipe.ingest.http;

import static io.credpipe.ingest.http.Requests.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.credpipe.model.auth.Authenticator;
import io.credpipe.model.auth.Caller;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.decision.LevelDecision;
import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.Rejection;
import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/assessments/{source}/{eventId}}: what became of one event, from the topics (the
 * audit log), so any ingest instance answers:
 *
 * <ul>
 *   <li>{@code accepted}: where it is in {@code assessments} (partition, offset) and what it says;
 *   <li>{@code rejections}: each refusal, by which stage ({@code ingest} or {@code evaluator}), with
 *       the reason, detail and field;
 *   <li>{@code decisions}: the level decisions it caused ({@code causedBy}), each with the policy it
 *       was made under and its place in {@code achievements};
 *   <li>{@code credentials}: per decision, the credential change it makes: a {@code level.achieved}
 *       issues the credential of that achievement (framework, level, sequence), a {@code
 *       level.lost} revokes it; the operator's credential list names the credentials themselves.
 * </ul>
 *
 * <p>{@code status} sums it up: {@code rejected}, {@code accepted} (in the log; no decision, or not
 * yet decided: see the batch receipt), {@code decided}. An event neither accepted nor rejected is
 * 404. A source's key reads only its own source's events; an administrator's reads any.
 */
public final class EventRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);

    private final Authenticator authenticator;
    private final EventHistory history;

    /**
     * @param authenticator who may ask
     * @param history       what the topics say
     */
    public EventRoutes(Authenticator authenticator, EventHistory history) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.history = Objects.requireNonNull(history, "history");
    }

    /**
     * {@code GET /v1/assessments/{source}/{eventId}}.
     *
     * @param ctx the request
     */
    public void get(Context ctx) {
        Caller caller = Requests.caller(ctx, authenticator);
        String source = ctx.pathParam("source");
        String eventId = ctx.pathParam("eventId");
        if (!caller.admin() && !caller.source().equals(source)) {
            throw new ProblemException(Problem.of("forbidden-source", "Forbidden source", 403,
                    "the key belongs to source " + caller.source() + "; it reads only that source's events"));
        }
        EventAnswer answer;
        try {
            answer = lookUp(source, eventId);
        } catch (IllegalStateException e) {
            LOG.warn("cannot read the trail of an event: {}", e.getMessage());
            throw Requests.unavailable("the topics cannot be read now; retry shortly");
        }
        if (answer.accepted() == null && answer.rejections().isEmpty()) {
            throw new ProblemException(Problem.of("event-not-found", "No such event", 404,
                    "source " + source + " has no event " + eventId + " accepted or rejected (rejections are kept 90 days)"));
        }
        ctx.contentType("application/json").result(json(answer));
    }

    private EventAnswer lookUp(String source, String eventId) {
        Optional<EventHistory.Placed<AssessmentEvent>> accepted = history.accepted(source, eventId);
        List<Refusal> rejections = history.rejections(source, eventId).stream().map(Refusal::of).toList();
        List<Decision> decisions = new ArrayList<>();
        List<CredentialChange> credentials = new ArrayList<>();
        if (accepted.isPresent()) {
            String operatorId = accepted.get().value().operatorId();
            for (EventHistory.Placed<LevelDecision> placed : history.decisions(operatorId, eventId)) {
                LevelDecision decision = placed.value();
                decisions.add(new Decision(decision, placed.partition(), placed.offset()));
                credentials.add(new CredentialChange(decision instanceof LevelAchieved ? "issued" : "revoked",
                        decision.framework().toString(), decision.level().id(), decision.sequence(),
                        "/v1/operators/" + operatorId + "/credentials"));
            }
        }
        String status = !decisions.isEmpty() ? "decided" : accepted.isPresent() ? "accepted" : "rejected";
        return new EventAnswer(source, eventId, status, accepted.map(Accepted::of).orElse(null), rejections, decisions, credentials);
    }

    /**
     * The answer.
     *
     * @param source      the source
     * @param eventId     the event id
     * @param status      {@code rejected}, {@code accepted} or {@code decided}
     * @param accepted    where it is in the log, when accepted
     * @param rejections  its refusals
     * @param decisions   the decisions it caused
     * @param credentials the credential changes those decisions make
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventAnswer(String source, String eventId, String status, Accepted accepted, List<Refusal> rejections,
            List<Decision> decisions, List<CredentialChange> credentials) {}

    /**
     * An accepted event: its place and the event as the pipeline carries it.
     *
     * @param topic     {@code assessments}
     * @param partition its partition
     * @param offset    its offset
     * @param event     the event
     */
    record Accepted(String topic, int partition, long offset, AssessmentEvent event) {
        static Accepted of(EventHistory.Placed<AssessmentEvent> placed) {
            return new Accepted(placed.topic(), placed.partition(), placed.offset(), placed.value());
        }
    }

    /**
     * One refusal.
     *
     * @param stage      which service refused it
     * @param reason     the machine-readable reason
     * @param detail     why, in words
     * @param pointer    the field at fault, if one
     * @param rejectedAt when
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Refusal(String stage, String reason, String detail, String pointer, String rejectedAt) {
        static Refusal of(EventHistory.Placed<Rejection> placed) {
            Rejection r = placed.value();
            return new Refusal(r.stage(), r.reason().id(), r.detail(), r.pointer(), r.rejectedAt().toString());
        }
    }

    /**
     * One decision the event caused.
     *
     * @param decision  the decision as on {@code achievements}
     * @param partition its partition there
     * @param offset    its offset there
     */
    record Decision(LevelDecision decision, int partition, long offset) {}

    /**
     * A credential change a decision makes.
     *
     * @param change     {@code issued} or {@code revoked}
     * @param framework  the achievement's framework
     * @param level      its level
     * @param sequence   its sequence (the n-th time the level was achieved)
     * @param list       the operator's credential list, naming the credential
     */
    record CredentialChange(String change, String framework, String level, int sequence, String list) {}
}
