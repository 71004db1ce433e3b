package io.credpipe.app.fault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decision rule of DESIGN.md ("Decision rule (evaluator)") and the issuer's reaction to it,
 * written again from the text for the fault tests, not taken from the code under test: a statement
 * is demonstrated when its latest non-retracted assessment (by {@code occurredAt}, ties to the
 * larger {@code eventId}) is a pass; a level is met when all its statements are demonstrated and
 * every lower level is met (the default policy: 100 %, cumulative, passes never expire). A
 * transition to met issues a credential (the next sequence of that level); a transition back
 * revokes the current one. Events are applied in the order one operator's events reach the
 * evaluator, which for one HR client that is never cut off is the order it sent them.
 */
final class DecisionRuleModel {

    /** One assessment event as the model sees it. */
    record Event(String eventId, String operatorId, String statementId, Instant occurredAt, boolean pass, String retracts) {

        boolean isRetraction() {
            return retracts != null;
        }
    }

    /** A credential the issuer must have issued, and whether its status bit must be set. */
    record Expected(String operatorId, String level, int sequence, boolean revoked) {

        String achievement() {
            return operatorId + " " + level + " " + sequence;
        }
    }

    private final List<String> levels;
    private final int statementsPerLevel;
    private final String framework;
    private final Map<String, OperatorState> operators = new LinkedHashMap<>();
    private final Map<String, Event> byId = new HashMap<>();

    DecisionRuleModel(String framework, List<String> levels, int statementsPerLevel) {
        this.framework = framework;
        this.levels = List.copyOf(levels);
        this.statementsPerLevel = statementsPerLevel;
    }

    void apply(Event event) {
        Event known = byId.putIfAbsent(event.eventId(), event);
        if (known != null) {
            return; // a duplicate changes nothing
        }
        operators.computeIfAbsent(event.operatorId(), id -> new OperatorState()).apply(event);
    }

    /** Every credential the events imply, in issue order per operator. */
    List<Expected> expected() {
        List<Expected> all = new ArrayList<>();
        operators.forEach((id, state) -> state.credentials.forEach((achievement, revoked) -> {
            String[] parts = achievement.split("#");
            all.add(new Expected(id, parts[0], Integer.parseInt(parts[1]), revoked));
        }));
        return all;
    }

    private final class OperatorState {
        private final Map<String, List<Event>> assessments = new HashMap<>();
        private final Set<String> retracted = new HashSet<>();
        private final Set<String> met = new HashSet<>();
        private final Map<String, Integer> sequences = new HashMap<>();
        /** "level#sequence" to revoked. */
        private final Map<String, Boolean> credentials = new LinkedHashMap<>();

        void apply(Event event) {
            if (event.isRetraction()) {
                retracted.add(event.retracts());
            } else {
                assessments.computeIfAbsent(event.statementId(), s -> new ArrayList<>()).add(event);
            }
            boolean lowerMet = true;
            for (String level : levels) {
                boolean now = lowerMet && demonstratedAll(level);
                boolean before = met.contains(level);
                if (now && !before) {
                    met.add(level);
                    int sequence = sequences.merge(level, 1, Integer::sum);
                    credentials.put(level + "#" + sequence, false);
                } else if (!now && before) {
                    met.remove(level);
                    credentials.put(level + "#" + sequences.get(level), true);
                }
                lowerMet = now;
            }
        }

        private boolean demonstratedAll(String level) {
            for (int n = 1; n <= statementsPerLevel; n++) {
                if (!demonstrated(framework + "/" + level + "/" + n)) {
                    return false;
                }
            }
            return true;
        }

        private boolean demonstrated(String statementId) {
            Optional<Event> latest = assessments.getOrDefault(statementId, List.of()).stream()
                    .filter(e -> !retracted.contains(e.eventId()))
                    .max(Comparator.comparing(Event::occurredAt).thenComparing(Event::eventId));
            return latest.map(Event::pass).orElse(false);
        }
    }
}
