package io.credpipe.app.fault;

import io.credpipe.app.fault.DecisionRuleModel.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** What operators send, as NDJSON lines and as the model's events, in sending order. */
record Scenario(List<String> lines, List<Event> events, int operators, Map<String, Integer> scripts) {

    private static final String FRAMEWORK = "51-8091.00@v.26.05";
    private static final int STATEMENTS = 10;

    private static final Instant BASE = Instant.parse("2026-05-20T08:00:00Z");

    /** Operators with seeded scripts until {@code events} lines are reached. */
    static Scenario generate(Random random, int events) {
        Builder builder = new Builder();
        for (int o = 0; builder.lines.size() < events; o++) {
            builder.operator("op" + o, random);
        }
        return builder.build();
    }

    /** One operator passing every emerging statement. */
    static Scenario passes(String operator) {
        Builder builder = new Builder();
        builder.script("pass", operator, (b, op) -> b.passAll(op, "emerging", 0));
        return builder.build();
    }

    private static final class Builder {
        final List<String> lines = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final Map<String, Integer> scripts = new TreeMap<>();
        int operators;
        int next;

        void operator(String op, Random random) {
            int roll = random.nextInt(100);
            if (roll < 70) {
                script("pass", op, (b, o) -> b.passAll(o, "emerging", 0));
            } else if (roll < 76) {
                script("two levels", op, (b, o) -> {
                    b.passAll(o, "emerging", 0);
                    b.passAll(o, "developing", 20);
                });
            } else if (roll < 82) {
                int failed = 1 + random.nextInt(STATEMENTS);
                script("one fail", op, (b, o) -> {
                    for (int n = 1; n <= STATEMENTS; n++) {
                        b.recorded(o, "emerging", n, n, n != failed);
                    }
                });
            } else if (roll < 87) {
                int s = 1 + random.nextInt(STATEMENTS);
                script("fail then pass", op, (b, o) -> {
                    b.recorded(o, "emerging", s, 0, false);
                    b.passAll(o, "emerging", 0);
                });
            } else if (roll < 91) {
                int s = 1 + random.nextInt(STATEMENTS);
                script("pass then later fail (revoked)", op, (b, o) -> {
                    b.passAll(o, "emerging", 0);
                    b.recorded(o, "emerging", s, 30, false);
                });
            } else if (roll < 95) {
                int s = 1 + random.nextInt(STATEMENTS);
                script("pass retracted (revoked)", op, (b, o) -> {
                    List<String> ids = b.passAll(o, "emerging", 0);
                    b.retracted(o, ids.get(s - 1), 40);
                });
            } else if (roll < 98) {
                script("fail retracted, then pass", op, (b, o) -> {
                    for (int n = 1; n < STATEMENTS; n++) {
                        b.recorded(o, "emerging", n, n, true);
                    }
                    String fail = b.recorded(o, "emerging", STATEMENTS, STATEMENTS, false);
                    b.retracted(o, fail, 20);
                    b.recorded(o, "emerging", STATEMENTS, 25, true);
                });
            } else {
                int s = 1 + random.nextInt(STATEMENTS);
                script("late fail dated before the pass", op, (b, o) -> {
                    b.passAll(o, "emerging", 5);
                    b.recorded(o, "emerging", s, 1, false);
                });
            }
        }

        void script(String name, String op, BiConsumer<Builder, String> script) {
            scripts.merge(name, 1, Integer::sum);
            operators++;
            script.accept(this, op);
        }

        /** Passes of every statement of {@code level}, {@code minutes} plus n minutes after the base; their ids. */
        List<String> passAll(String op, String level, int minutes) {
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= STATEMENTS; n++) {
                ids.add(recorded(op, level, n, minutes + n, true));
            }
            return ids;
        }

        String recorded(String op, String level, int n, int minute, boolean pass) {
            String id = op + "-" + next++;
            Instant at = BASE.plusSeconds(60L * minute);
            String statement = FRAMEWORK + "/" + level + "/" + n;
            lines.add(String.format("{\"eventId\":\"%s\",\"type\":\"assessment.recorded\",\"occurredAt\":\"%s\",\"source\":\"hr1\","
                    + "\"operator\":{\"id\":\"acme:%s\",\"name\":\"Operator %s\"},\"statementId\":\"%s\",\"result\":\"%s\","
                    + "\"assessor\":{\"id\":\"acme:S1\"}}", id, at, op, op, statement, pass ? "pass" : "fail"));
            events.add(new Event(id, op, statement, at, pass, null));
            return id;
        }

        void retracted(String op, String retracts, int minute) {
            String id = op + "-" + next++;
            Instant at = BASE.plusSeconds(60L * minute);
            lines.add(String.format("{\"eventId\":\"%s\",\"type\":\"assessment.retracted\",\"occurredAt\":\"%s\",\"source\":\"hr1\","
                    + "\"operator\":{\"id\":\"acme:%s\"},\"retracts\":\"%s\",\"reason\":\"entered in error\"}", id, at, op, retracts));
            events.add(new Event(id, op, null, at, false, retracts));
        }

        Scenario build() {
            return new Scenario(List.copyOf(lines), List.copyOf(events), operators, Map.copyOf(scripts));
        }
    }
}
