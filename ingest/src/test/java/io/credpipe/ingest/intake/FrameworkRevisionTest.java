package io.credpipe.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.model.framework.LevelPolicy;
import io.credpipe.model.framework.Framework;
import io.credpipe.model.framework.FrameworkLevel;
import io.credpipe.model.framework.Level;
import io.credpipe.model.framework.SeedFrameworks;
import io.credpipe.model.framework.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameworkRevisionTest {

    private final Framework seed = SeedFrameworks.load().get(0);

    @Test
    void aNewIdIsNew() {
        assertThat(FrameworkRevision.of(Optional.empty(), seed)).isInstanceOf(FrameworkRevision.New.class);
    }

    @Test
    void theSameFrameworkIsUnchangedAndAnotherDescriptionIsAnAmendment() {
        assertThat(FrameworkRevision.of(Optional.of(seed), seed)).isEqualTo(new FrameworkRevision.Amended(false));
        Framework described = new Framework(seed.id(), seed.occupation(), "a better description", seed.contextCovered(),
                seed.levels(), seed.provenance());
        assertThat(FrameworkRevision.of(Optional.of(seed), described)).isEqualTo(new FrameworkRevision.Amended(true));
    }

    @Test
    void changedAddedOrRemovedStatementsConflict() {
        List<Statement> emerging = seed.statements(Level.EMERGING);
        Statement first = emerging.get(0);

        List<Statement> reworded = new ArrayList<>(emerging);
        reworded.set(0, new Statement(first.id(), first.text() + " (revised)"));
        FrameworkRevision changed = FrameworkRevision.of(Optional.of(seed), withEmerging(reworded));
        assertThat(changed).isInstanceOf(FrameworkRevision.Conflict.class);
        assertThat(((FrameworkRevision.Conflict) changed).detail()).contains(first.id().toString()).contains("different text");

        FrameworkRevision removed = FrameworkRevision.of(Optional.of(seed), withEmerging(emerging.subList(0, emerging.size() - 1)));
        assertThat(((FrameworkRevision.Conflict) removed).detail()).contains("is removed");
    }

    @Test
    void aLevelPolicyMayBeAddedOrRaisedButNotLoweredRewrittenOrDropped() {
        LevelPolicy v2 = new LevelPolicy("plant", 2, 80, true, null);
        Framework withV2 = seed.withLevelPolicy(v2);
        assertThat(FrameworkRevision.of(Optional.of(seed), withV2)).isEqualTo(new FrameworkRevision.Amended(true));
        assertThat(FrameworkRevision.of(Optional.of(withV2), withV2)).isEqualTo(new FrameworkRevision.Amended(false));
        assertThat(FrameworkRevision.of(Optional.of(withV2), seed.withLevelPolicy(new LevelPolicy("plant", 3, 100, true, null))))
                .isEqualTo(new FrameworkRevision.Amended(true));

        assertThat(FrameworkRevision.of(Optional.of(withV2), seed.withLevelPolicy(new LevelPolicy("plant", 1, 100, true, null))))
                .isInstanceOfSatisfying(FrameworkRevision.Conflict.class, c -> assertThat(c.detail()).contains("lower"));
        assertThat(FrameworkRevision.of(Optional.of(withV2), seed.withLevelPolicy(new LevelPolicy("plant", 2, 60, true, null))))
                .isInstanceOfSatisfying(FrameworkRevision.Conflict.class, c -> assertThat(c.detail()).contains("other content"));
        assertThat(FrameworkRevision.of(Optional.of(withV2), seed))
                .isInstanceOfSatisfying(FrameworkRevision.Conflict.class, c -> assertThat(c.detail()).contains("missing"));
    }

    private Framework withEmerging(List<Statement> statements) {
        Map<Level, FrameworkLevel> levels = new EnumMap<>(seed.levels());
        FrameworkLevel level = seed.level(Level.EMERGING);
        levels.put(Level.EMERGING, new FrameworkLevel(Level.EMERGING, level.label(), statements));
        return new Framework(seed.id(), seed.occupation(), seed.description(), seed.contextCovered(), levels, seed.provenance());
    }
}
