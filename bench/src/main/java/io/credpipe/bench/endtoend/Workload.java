package io.credpipe.bench.endtoend;

import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of the end-to-end benchmark, made on demand so that no run holds them all: operator
 * {@code o} sends events {@code o·E … o·E+E-1} (E events per operator), each a pass of the next
 * statement in level order, alternating the two seed frameworks level by level, so that an
 * operator's events are contiguous (one NDJSON batch holds whole operators) and the event that
 * completes a level is known in advance: the pass of its last statement.
 */
final class Workload {

    /** One statement an operator is assessed on, and the level it completes, if any. */
    private record Step(Framework framework, Statement statement, Level completes) {}

    private final List<Step> steps;
    private final int eventsPerOperator;
    private final String run;
    private final String source;
    private final Instant start;

    /**
     * @param frameworks        the seed frameworks
     * @param eventsPerOperator E
     * @param run               a prefix that makes this run's event and operator ids unique
     * @param source            the HR source the events name
     * @param start             the occurredAt of every operator's first event
     */
    Workload(List<Framework> frameworks, int eventsPerOperator, String run, String source, Instant start) {
        List<Step> all = new ArrayList<>();
        for (Level level : Level.values()) {
            for (Framework framework : frameworks) {
                List<Statement> statements = framework.statements(level);
                for (int i = 0; i < statements.size(); i++) {
                    all.add(new Step(framework, statements.get(i), i == statements.size() - 1 ? level : null));
                }
            }
        }
        if (eventsPerOperator < 1 || eventsPerOperator > all.size()) {
            throw new IllegalArgumentException("events per operator must be 1 to " + all.size() + ": " + eventsPerOperator);
        }
        this.steps = List.copyOf(all.subList(0, eventsPerOperator));
        this.eventsPerOperator = eventsPerOperator;
        this.run = run;
        this.source = source;
        this.start = start;
    }

    int eventsPerOperator() {
        return eventsPerOperator;
    }

    /** Credentials one operator's events earn. */
    int credentialsPerOperator() {
        return (int) steps.stream().filter(s -> s.completes() != null).count();
    }

    String operatorId(long operator) {
        return run + ":E" + operator;
    }

    /**
     * The NDJSON body of events {@code from} (inclusive) to {@code to} (exclusive), and the levels
     * they complete, as {@code operator|framework|level} keys.
     */
    Batch batch(long from, long to) {
        StringBuilder body = new StringBuilder((int) (to - from) * 330);
        List<String> completes = new ArrayList<>();
        for (long i = from; i < to; i++) {
            long operator = i / eventsPerOperator;
            int n = (int) (i % eventsPerOperator);
            Step step = steps.get(n);
            String operatorId = operatorId(operator);
            // Hand-written JSON: ids and statement ids are plain ASCII, and a JSON library would show in the client's CPU.
            body.append("{\"eventId\":\"").append(run).append('-').append(i)
                    .append("\",\"type\":\"assessment.recorded\",\"occurredAt\":\"").append(start.plusSeconds(60L * n))
                    .append("\",\"source\":\"").append(source)
                    .append("\",\"operator\":{\"id\":\"").append(operatorId).append("\",\"name\":\"Operator ").append(operator)
                    .append("\"},\"statementId\":\"").append(step.statement().id())
                    .append("\",\"result\":\"pass\",\"assessor\":{\"id\":\"bench:S1\"},\"method\":\"observation\"}\n");
            if (step.completes() != null) {
                completes.add(key(operatorId, step.framework().id().toString(), step.completes()));
            }
        }
        return new Batch(body.toString().getBytes(StandardCharsets.UTF_8), (int) (to - from), completes);
    }

    /** The key a credential and the event that earned it share. */
    static String key(String operatorId, String frameworkId, Level level) {
        return operatorId + "|" + frameworkId + "|" + level.id();
    }

    /**
     * One request's worth of events.
     *
     * @param body      NDJSON
     * @param events    how many lines
     * @param completes the levels the batch's events complete
     */
    record Batch(byte[] body, int events, List<String> completes) {}
}
