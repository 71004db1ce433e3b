package io.credpipe.evaluator.rule;

import io.credpipe.model.framework.PolicyRef;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.StatementId;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the decision rule knows about one operator in one framework: every assessment of every
 * statement (so that retracting the latest one lets the previous one win again), the instant the
 * progress has been evaluated up to, and the standing of each level. Immutable; the evaluator keeps
 * one per (operator, framework) in a state store.
 *
 * @param operatorId the operator
 * @param framework the framework
 * @param asOf the latest {@code occurredAt} applied so far; expiry is judged at this instant, so time
 *     never runs backwards when a late, older event arrives. {@code null} before the first event
 * @param policy the policy of the last evaluation; {@code null} before the first event
 * @param assessments per statement, keyed {@code {level}/{n}} within the framework (short keys keep the
 *     stored value small; it is read and written on every event), its assessments in
 *     {@link RecordedAssessment#CHRONOLOGICAL} order
 * @param levels the standing of each level, emerging first
 * @param contact the latest name and e-mail sent by the operator's events in this framework, {@code null}
 *     before the first (or when stored by a version that kept contacts apart); kept here rather than in a
 *     store of its own, which would cost another changelog record per event. Decisions carry the latest
 *     over all of the operator's frameworks ({@link OperatorContact#latest})
 */
public record OperatorProgress(
        String operatorId,
        FrameworkId framework,
        Instant asOf,
        PolicyRef policy,
        Map<String, List<RecordedAssessment>> assessments,
        List<LevelStanding> levels,
        OperatorContact contact) {

    public OperatorProgress {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(framework, "framework");
        // Sorted so that equal progress serialises to equal bytes. A Frozen map was built by this class
        // from copies no one else holds, so it is taken as is: every event derives several progresses.
        if (!(assessments instanceof Frozen)) {
            TreeMap<String, List<RecordedAssessment>> copy = new TreeMap<>();
            if (assessments != null) {
                assessments.forEach((statement, history) -> copy.put(statement, List.copyOf(history)));
            }
            assessments = new Frozen(copy);
        }
        levels = levels == null || levels.isEmpty() ? neverAchieved() : List.copyOf(levels);
        Level[] all = Level.values();
        if (levels.size() != all.length) {
            throw new IllegalArgumentException("progress needs a standing for each of the " + all.length + " levels");
        }
        for (int i = 0; i < all.length; i++) {
            if (levels.get(i).level() != all[i]) {
                throw new IllegalArgumentException("level standings must be in level order, emerging first");
            }
        }
    }

    /** Progress with no contact details yet. */
    public OperatorProgress(String operatorId, FrameworkId framework, Instant asOf, PolicyRef policy,
            Map<String, List<RecordedAssessment>> assessments, List<LevelStanding> levels) {
        this(operatorId, framework, asOf, policy, assessments, levels, null);
    }

    /** An operator with no assessment in the framework yet. */
    public static OperatorProgress start(String operatorId, FrameworkId framework) {
        return new OperatorProgress(operatorId, framework, null, null, Map.of(), List.of());
    }

    /** The contact details this progress has, or none yet known. */
    public OperatorContact contactOrUnknown() {
        return contact != null ? contact : OperatorContact.unknown(operatorId);
    }

    /** This progress with other contact details. */
    public OperatorProgress withContact(OperatorContact newContact) {
        return new OperatorProgress(operatorId, framework, asOf, policy, assessments, levels, newContact);
    }

    private static List<LevelStanding> neverAchieved() {
        List<LevelStanding> standings = new ArrayList<>();
        for (Level level : Level.values()) {
            standings.add(LevelStanding.never(level));
        }
        return standings;
    }

    private static final List<String> LEVEL_IDS = Arrays.stream(Level.values()).map(Level::id).toList();

    /** The key of a statement in {@link #assessments}: {@code {level}/{n}}. */
    public static String statementKey(StatementId statement) {
        return levelKey(statement.level()) + "/" + statement.position();
    }

    /** The level part of a statement key, e.g. {@code proficient}. */
    static String levelKey(Level level) {
        return LEVEL_IDS.get(level.ordinal());
    }

    /** The standing of one level. */
    public LevelStanding standing(Level level) {
        return levels.get(level.ordinal());
    }

    /** The statement's latest assessment that is not retracted, if any: the one that decides it. */
    public Optional<RecordedAssessment> winner(StatementId statement) {
        return winnerAt(statementKey(statement));
    }

    /** {@link #winner} by statement key. */
    Optional<RecordedAssessment> winnerAt(String statementKey) {
        List<RecordedAssessment> history = assessments.getOrDefault(statementKey, List.of());
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!history.get(i).isRetracted()) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    /** The assessment recorded by event {@code eventId} of any source, with its statement, retracted or not. */
    public Optional<Located> find(String eventId) {
        return find(null, eventId);
    }

    /**
     * The assessment recorded by event {@code eventId} of {@code source}, with its statement,
     * retracted or not.
     */
    public Optional<Located> find(String source, String eventId) {
        for (var entry : assessments.entrySet()) {
            for (RecordedAssessment assessment : entry.getValue()) {
                if (assessment.is(source, eventId)) {
                    StatementId statement = StatementId.parse(framework + "/" + entry.getKey()).orElseThrow(() ->
                            new IllegalStateException("progress holds a malformed statement key " + entry.getKey()));
                    return Optional.of(new Located(statement, assessment));
                }
            }
        }
        return Optional.empty();
    }

    /** This progress with one more assessment of {@code statement}. */
    public OperatorProgress withAssessment(StatementId statement, RecordedAssessment assessment) {
        if (!statement.framework().equals(framework)) {
            throw new IllegalArgumentException("statement " + statement + " is not in framework " + framework);
        }
        String key = statementKey(statement);
        List<RecordedAssessment> history = new ArrayList<>(assessments.getOrDefault(key, List.of()));
        int at = Collections.binarySearch(history, assessment, RecordedAssessment.CHRONOLOGICAL);
        if (at >= 0) {
            throw new IllegalArgumentException("statement " + statement + " already has assessment " + assessment.eventId());
        }
        history.add(-at - 1, assessment);
        return withHistory(key, history);
    }

    /** This progress with assessment {@code eventId} (of any source) withdrawn by {@code retraction}. */
    public OperatorProgress withRetraction(String eventId, String retraction) {
        return withRetraction(null, eventId, retraction);
    }

    /** This progress with assessment {@code eventId} of {@code source} withdrawn by {@code retraction}. */
    public OperatorProgress withRetraction(String source, String eventId, String retraction) {
        Located target = find(source, eventId).orElseThrow(() -> new IllegalArgumentException("no assessment " + eventId));
        String key = statementKey(target.statement());
        List<RecordedAssessment> history = new ArrayList<>(assessments.get(key));
        history.replaceAll(a -> a == target.assessment() ? a.retractedBy(retraction) : a);
        return withHistory(key, history);
    }

    /** This progress evaluated up to {@code asOf} under {@code policy}, with these level standings. */
    public OperatorProgress evaluated(Instant newAsOf, PolicyRef newPolicy, List<LevelStanding> newLevels) {
        return new OperatorProgress(operatorId, framework, newAsOf, newPolicy, assessments, newLevels, contact);
    }

    private OperatorProgress withHistory(String key, List<RecordedAssessment> history) {
        TreeMap<String, List<RecordedAssessment>> copy = new TreeMap<>(((Frozen) assessments).entries);
        copy.put(key, List.copyOf(history));
        return new OperatorProgress(operatorId, framework, asOf, policy, new Frozen(copy), levels, contact);
    }

    /** An unmodifiable sorted map of immutable lists, over a map only it holds. */
    private static final class Frozen extends AbstractMap<String, List<RecordedAssessment>> {
        private final TreeMap<String, List<RecordedAssessment>> entries;
        private final Set<Map.Entry<String, List<RecordedAssessment>>> view;

        Frozen(TreeMap<String, List<RecordedAssessment>> entries) {
            this.entries = entries;
            this.view = Collections.unmodifiableMap(entries).entrySet();
        }

        @Override
        public Set<Map.Entry<String, List<RecordedAssessment>>> entrySet() {
            return view;
        }

        @Override
        public List<RecordedAssessment> get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    /**
     * An assessment with the statement it assesses.
     *
     * @param statement the statement
     * @param assessment the assessment
     */
    public record Located(StatementId statement, RecordedAssessment assessment) {}
}
