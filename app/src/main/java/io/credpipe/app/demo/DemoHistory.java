package io.credpipe.app.demo;

import io.credpipe.model.event.AssessmentEvent;
import io.credpipe.model.event.AssessmentResult;
import io.credpipe.model.event.Assessor;
import io.credpipe.model.event.Operator;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.Statement;
import io.credpipe.model.framework.StatementId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic, reproducible assessment history for the demo: the same seed always yields the same
 * events with the same ids, so a second demo run sends only duplicates.
 *
 * <p>Operators reach different levels in one or both frameworks; some fail a statement before
 * passing it, some stop short of a level, some have an assessment retracted (and later re-pass),
 * some fail a statement again after meeting its level, some events are sent twice or arrive late,
 * and one names a statement the framework does not have.
 */
public final class DemoHistory {

    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    /** The HR source the demo's events come from. */
    static final String SOURCE = "demo-hr";

    /** How many events of a run name a statement no framework has, and are refused (422) on purpose. */
    static final int REFUSED_ON_PURPOSE = 1;
    private static final String[] FIRST = {"Dana", "Luis", "Mei", "Arjun", "Sofia", "Kwame", "Olga", "Tomas", "Aisha",
        "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"};
    private static final String[] LAST = {"Ruiz", "Okafor", "Chen", "Patel", "Novak", "Mensah", "Ivanova", "Berg",
        "Haddad", "Walsh", "Moreau", "Sato", "Silva", "Kowalski"};
    private static final List<Assessor> ASSESSORS = List.of(
            new Assessor("acme:S01", "Priya Raman"), new Assessor("acme:S02", "Mark Oduya"),
            new Assessor("acme:S03", "Lena Fischer"), new Assessor("acme:S04", "Sam Ortega"));
    private static final String[] METHODS = {"observation", "simulation", "written test", "oral questioning"};

    /**
     * What one operator's HR system sends, in order. The same event may appear twice (a resend).
     *
     * @param operator the operator
     * @param sends the events in sending order
     */
    public record OperatorScript(Operator operator, List<AssessmentEvent> sends) {
        public OperatorScript {
            sends = List.copyOf(sends);
        }
    }

    private DemoHistory() {}

    /**
     * @param frameworks the frameworks to assess against; the first is assessed for everyone, the
     *     others for every third operator
     * @param operators how many operators
     * @param seed the random seed
     */
    public static List<OperatorScript> generate(List<Framework> frameworks, int operators, long seed) {
        List<OperatorScript> scripts = new ArrayList<>();
        for (int i = 0; i < operators; i++) {
            scripts.add(new Script(i, new Random(seed * 7919 + i), frameworks).build());
        }
        return scripts;
    }

    /** Builds one operator's script. */
    private static final class Script {
        private final int index;
        private final Random random;
        private final List<Framework> frameworks;
        private final Operator operator;
        private final List<AssessmentEvent> sends = new ArrayList<>();
        private Instant clock;
        private int counter;

        Script(int index, Random random, List<Framework> frameworks) {
            this.index = index;
            this.random = random;
            this.frameworks = frameworks;
            String first = FIRST[index % FIRST.length];
            String last = LAST[(index * 5 + 3) % LAST.length];
            this.operator = new Operator(String.format("acme:E%04d", 1001 + index), first + " " + last,
                    (first + "." + last + index).toLowerCase() + "@example.com");
            this.clock = START.plus(Duration.ofDays(index * 3L));
        }

        /** The position of the statement no framework has, named once on purpose. */
        private static final int UNKNOWN_POSITION = 11;

        OperatorScript build() {
            for (int f = 0; f < frameworks.size(); f++) {
                if (f == 0 || index % 3 == 0) {
                    assess(frameworks.get(f), targetLevels());
                }
            }
            if (index % 6 == 1 && sends.size() > 3) {
                sends.add(3, sends.get(2)); // the HR system retried a request that had in fact succeeded
            }
            if (index == 5) {
                // A statement the framework does not have: ingest refuses it (422) and records it with a reason.
                Framework framework = frameworks.get(0);
                sends.add(recorded(new StatementId(framework.id(), Level.EMERGING, UNKNOWN_POSITION), AssessmentResult.PASS));
            }
            return new OperatorScript(operator, sends);
        }

        /** How many levels the operator meets in a framework: 0 (none) to 4 (advanced). */
        private int targetLevels() {
            int roll = random.nextInt(100);
            return roll < 10 ? 0 : roll < 35 ? 1 : roll < 65 ? 2 : roll < 85 ? 3 : 4;
        }

        private void assess(Framework framework, int target) {
            AssessmentEvent firstPass = null;
            AssessmentEvent lastPassOfTop = null;
            for (Level level : Level.values()) {
                if (level.ordinal() < target) {
                    for (Statement statement : framework.statements(level)) {
                        if (random.nextInt(100) < 15) {
                            sends.add(recorded(statement.id(), AssessmentResult.FAIL));
                        }
                        AssessmentEvent pass = recorded(statement.id(), AssessmentResult.PASS);
                        sends.add(pass);
                        firstPass = firstPass == null ? pass : firstPass;
                        lastPassOfTop = pass;
                    }
                } else if (level.ordinal() == target) {
                    // Working towards the next level: some passes and one fail, so it is not met.
                    List<Statement> statements = framework.statements(level);
                    for (int s = 0; s < statements.size() - 1; s++) {
                        if (random.nextInt(100) < 60) {
                            sends.add(recorded(statements.get(s).id(), AssessmentResult.PASS));
                        }
                    }
                    sends.add(recorded(statements.get(statements.size() - 1).id(), AssessmentResult.FAIL));
                }
            }
            if (target >= 1 && index % 8 == 3) {
                // Entered in error: retracted, so the level is lost; re-assessed later and met again.
                sends.add(retracted(lastPassOfTop.eventId(), "recorded against the wrong operator"));
                sends.add(recorded(StatementId.parse(lastPassOfTop.statementId()).orElseThrow(), AssessmentResult.PASS));
            }
            if (target >= 2 && index % 10 == 7) {
                // A newer fail of a statement the second level relied on: the level is lost.
                sends.add(recorded(framework.statements(Level.DEVELOPING).get(4).id(), AssessmentResult.FAIL));
            }
            if (firstPass != null && index % 9 == 4) {
                // A fail from before the first pass arrives late: the newer pass still wins.
                Instant before = firstPass.occurredAt().minus(Duration.ofDays(2));
                sends.add(new AssessmentEvent(nextId(), firstPass.type(), before, SOURCE, operator, firstPass.statementId(),
                        AssessmentResult.FAIL, assessor(), method(), List.of(), null, null));
            }
        }

        private AssessmentEvent recorded(StatementId statement, AssessmentResult result) {
            return AssessmentEvent.recorded(nextId(), tick(), SOURCE, operator, statement, result, assessor(), method());
        }

        private AssessmentEvent retracted(String eventId, String reason) {
            return AssessmentEvent.retracted(nextId(), tick(), SOURCE, operator, eventId, reason);
        }

        private String nextId() {
            return String.format("demo-%04d-%03d", 1001 + index, ++counter);
        }

        private Instant tick() {
            clock = clock.plus(Duration.ofMinutes(90 + random.nextInt(600)));
            return clock;
        }

        private Assessor assessor() {
            return ASSESSORS.get(random.nextInt(ASSESSORS.size()));
        }

        private String method() {
            return METHODS[random.nextInt(METHODS.length)];
        }
    }
}
