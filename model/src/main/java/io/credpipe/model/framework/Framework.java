package io.credpipe.model.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a competency framework: an occupation and its four levels of statements.
 *
 * <p>Instances are immutable. Read them from the LER framework export format with
 * {@link FrameworkFormat}.
 *
 * @param id {@code {soc}@{version}}
 * @param occupation the occupation the framework describes
 * @param description the framework's description (may be empty)
 * @param contextCovered the export's scope statement (may be empty)
 * @param levels all four levels
 * @param provenance the export's origin and attribution
 * @param levelPolicy the policy its levels are decided by, when the export sets one (its optional
 *     {@code levelPolicy} member); {@code null} leaves the choice to the evaluator's configuration
 */
public record Framework(
        FrameworkId id,
        Occupation occupation,
        String description,
        String contextCovered,
        Map<Level, FrameworkLevel> levels,
        Provenance provenance,
        LevelPolicy levelPolicy) {

    public Framework {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occupation, "occupation");
        description = description == null ? "" : description;
        contextCovered = contextCovered == null ? "" : contextCovered;
        Objects.requireNonNull(provenance, "provenance");
        EnumMap<Level, FrameworkLevel> copy = new EnumMap<>(Level.class);
        copy.putAll(levels);
        for (Level level : Level.values()) {
            if (!copy.containsKey(level)) {
                throw new IllegalArgumentException("framework " + id + " lacks level " + level.id());
            }
        }
        levels = Collections.unmodifiableMap(copy);
    }

    /** A framework that sets no level policy. */
    public Framework(FrameworkId id, Occupation occupation, String description, String contextCovered,
            Map<Level, FrameworkLevel> levels, Provenance provenance) {
        this(id, occupation, description, contextCovered, levels, provenance, null);
    }

    /** This framework with {@code policy} as its level policy ({@code null}: none). */
    public Framework withLevelPolicy(LevelPolicy policy) {
        return new Framework(id, occupation, description, contextCovered, levels, provenance, policy);
    }

    /** The framework's human title: the occupation title. */
    public String title() {
        return occupation.title();
    }

    /** The framework version, e.g. {@code v.26.05}. */
    public String version() {
        return id.version();
    }

    /** One level with its statements. */
    public FrameworkLevel level(Level level) {
        return levels.get(level);
    }

    /** The statements of one level, position 1 first. */
    public List<Statement> statements(Level level) {
        return levels.get(level).statements();
    }

    /** Every statement, emerging first, in framework order. */
    public List<Statement> statements() {
        List<Statement> all = new ArrayList<>();
        for (FrameworkLevel level : levels.values()) {
            all.addAll(level.statements());
        }
        return all;
    }

    /** The statement with this id, if it belongs to this framework. */
    public Optional<Statement> statement(StatementId statementId) {
        if (!statementId.framework().equals(id)) {
            return Optional.empty();
        }
        List<Statement> ofLevel = statements(statementId.level());
        int index = statementId.position() - 1;
        return index < ofLevel.size() ? Optional.of(ofLevel.get(index)) : Optional.empty();
    }
}
