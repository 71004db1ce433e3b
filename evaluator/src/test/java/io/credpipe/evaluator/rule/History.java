package io.credpipe.evaluator.rule;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentEventType;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Builds an operator's assessment history, in arrival order, from a list of {@link Step}s: what an HR
 * system might send, including everything it should not (replays, reused ids, retractions of nothing,
 * statements and frameworks that do not exist, timestamps from the future, late and shuffled arrivals).
 */
public final class History {

    /** Assessments happen over six years, so that one- to three-year evidence validities matter. */
    public static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
    public static final int DAYS = 6 * 365;
    /** The evaluator's clock in these histories: after every assessment but the ones from the future. */
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    public static final FrameworkId UNKNOWN_FRAMEWORK = new FrameworkId("99-9999.00", "v.1");

    /** What a step sends. */
    public enum Kind {
        PASS, FAIL, PASS_LEVEL, RETRACT, RETRACT_UNKNOWN, RETRACT_RETRACTION, REPLAY, CONFLICT, UNKNOWN_STATEMENT,
        UNKNOWN_FRAMEWORK, FUTURE
    }

    /**
     * One step of a history.
     *
     * @param kind what it sends
     * @param framework which of the frameworks (index, modulo their number)
     * @param level which level (index, modulo 4)
     * @param position which statement of the level (index, modulo its size)
     * @param day the day of {@link #START} it occurred on; steps on one day tie on {@code occurredAt}
     * @param target which earlier event a retraction, replay or conflict refers to (index, modulo their number)
     * @param delay how many later events overtake it on the way (0: it arrives in order)
     */
    public record Step(Kind kind, int framework, int level, int position, int day, int target, int delay) {}

    private History() {}

    /** The events of {@code steps}, in arrival order. */
    public static List<AssessmentEvent> events(List<Step> steps, List<Framework> frameworks, Operator operator) {
        List<AssessmentEvent> sent = new ArrayList<>();
        List<Double> arrival = new ArrayList<>();
        for (Step step : steps) {
            Framework framework = frameworks.get(Math.floorMod(step.framework(), frameworks.size()));
            Level level = Level.values()[Math.floorMod(step.level(), Level.values().length)];
            int size = framework.statements(level).size();
            StatementId statement = new StatementId(framework.id(), level, 1 + Math.floorMod(step.position(), size));
            Instant at = START.plus(Duration.ofDays(Math.floorMod(step.day(), DAYS)));
            AssessmentEvent target = sent.isEmpty() ? null : sent.get(Math.floorMod(step.target(), sent.size()));
            List<AssessmentEvent> made = new ArrayList<>();
            switch (step.kind()) {
                case PASS -> made.add(recorded(id(sent, made), at, operator, statement, AssessmentResult.PASS));
                case FAIL -> made.add(recorded(id(sent, made), at, operator, statement, AssessmentResult.FAIL));
                case PASS_LEVEL -> {
                    for (int i = 1; i <= size; i++) {
                        made.add(recorded(id(sent, made), at.plusSeconds(i), operator,
                                new StatementId(framework.id(), level, i), AssessmentResult.PASS));
                    }
                }
                case RETRACT -> made.add(AssessmentEvent.retracted(id(sent, made), at, "hr1", operator,
                        target == null ? "never-sent" : target.eventId(), "entered in error"));
                case RETRACT_UNKNOWN -> made.add(AssessmentEvent.retracted(id(sent, made), at, "hr1", operator,
                        "never-sent-" + step.target(), null));
                case RETRACT_RETRACTION -> {
                    AssessmentEvent retraction = sent.stream().filter(e -> e.type() == AssessmentEventType.RETRACTED)
                            .reduce((a, b) -> b).orElse(null);
                    made.add(AssessmentEvent.retracted(id(sent, made), at, "hr1", operator,
                            retraction == null ? "never-sent" : retraction.eventId(), null));
                }
                case REPLAY -> {
                    if (target != null) {
                        made.add(target);
                    }
                }
                case CONFLICT -> {
                    if (target != null) {
                        made.add(conflicting(target));
                    }
                }
                case UNKNOWN_STATEMENT -> made.add(recorded(id(sent, made), at, operator,
                        new StatementId(framework.id(), level, size + 1 + Math.floorMod(step.position(), 3)), AssessmentResult.PASS));
                case UNKNOWN_FRAMEWORK -> made.add(recorded(id(sent, made), at, operator,
                        new StatementId(UNKNOWN_FRAMEWORK, level, 1), AssessmentResult.PASS));
                case FUTURE -> made.add(recorded(id(sent, made), NOW.plus(Duration.ofDays(1 + Math.floorMod(step.day(), 30))),
                        operator, statement, AssessmentResult.PASS));
                default -> throw new IllegalArgumentException(step.kind().toString());
            }
            for (AssessmentEvent event : made) {
                // A delayed event is overtaken by the next `delay` events; ties keep the sending order.
                arrival.add(sent.size() + step.delay() + 0.5);
                sent.add(event);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(arrival::get));
        return order.stream().map(sent::get).toList();
    }

    /** A random history of {@code length} steps, mostly passes, as a busy HR system sends them. */
    public static List<Step> random(Random random, int length) {
        List<Step> steps = new ArrayList<>();
        Kind[] kinds = Kind.values();
        int[] weights = {30, 10, 4, 8, 1, 1, 4, 2, 1, 1, 1};
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(total);
            int k = 0;
            while (pick >= weights[k]) {
                pick -= weights[k++];
            }
            steps.add(new Step(kinds[k], random.nextInt(2), random.nextInt(4), random.nextInt(10), random.nextInt(DAYS),
                    random.nextInt(1000), random.nextInt(10) < 8 ? 0 : random.nextInt(30)));
        }
        return steps;
    }

    /** Ids are unique per history but not in sending order, so that ties on occurredAt break either way. */
    private static String id(List<AssessmentEvent> sent, List<AssessmentEvent> made) {
        int n = sent.size() + made.size();
        return String.format("ev-%04d", (n * 37) % 10_000);
    }

    private static AssessmentEvent recorded(String id, Instant at, Operator operator, StatementId statement, AssessmentResult result) {
        Assessor assessor = new Assessor(id.hashCode() % 2 == 0 ? "acme:S77" : "acme:S78", null);
        return AssessmentEvent.recorded(id, at, "hr1", operator, statement, result, assessor, "observation");
    }

    /** The same event id with other content. */
    private static AssessmentEvent conflicting(AssessmentEvent original) {
        if (original.type() == AssessmentEventType.RETRACTED) {
            return AssessmentEvent.retracted(original.eventId(), original.occurredAt(), original.source(),
                    original.operator(), original.retracts(), "a different reason");
        }
        AssessmentResult other = original.result() == AssessmentResult.PASS ? AssessmentResult.FAIL : AssessmentResult.PASS;
        return AssessmentEvent.recorded(original.eventId(), original.occurredAt(), original.source(), original.operator(),
                original.statement().orElseThrow(), other, original.assessor(), original.method());
    }
}
