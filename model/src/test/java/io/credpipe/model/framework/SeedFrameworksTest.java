package io.credpipe.model.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedFrameworksTest {

    private final List<Framework> frameworks = SeedFrameworks.load();

    @Test
    void bothSeedFrameworksLoadWithFortyStatements() {
        assertThat(frameworks).extracting(f -> f.id().toString())
                .containsExactly("51-8091.00@v.26.05", "51-8099.00@v.26.05");
        for (Framework framework : frameworks) {
            assertThat(framework.statements()).hasSize(40);
            for (Level level : Level.values()) {
                assertThat(framework.statements(level)).hasSize(10);
            }
        }
    }

    @Test
    void statementIdsAreStableAndFollowFrameworkOrder() {
        Framework chemical = frameworks.get(0);
        Statement third = chemical.statements(Level.PROFICIENT).get(2);
        assertThat(third.id().toString()).isEqualTo("51-8091.00@v.26.05/proficient/3");
        assertThat(third.shortName()).isEqualTo("Quality control analysis");
        assertThat(third.description()).startsWith("interpret test results");
        assertThat(chemical.statements().get(0).id().toString()).isEqualTo("51-8091.00@v.26.05/emerging/1");
        assertThat(chemical.statements().get(39).id().toString()).isEqualTo("51-8091.00@v.26.05/advanced/10");
    }

    @Test
    void everyStatementIdIsUniqueAndRoundTrips() {
        Set<StatementId> seen = new HashSet<>();
        for (Framework framework : frameworks) {
            for (Statement statement : framework.statements()) {
                assertThat(seen.add(statement.id())).isTrue();
                assertThat(StatementId.parse(statement.id().toString())).contains(statement.id());
                assertThat(framework.statement(statement.id())).contains(statement);
                assertThat(statement.shortName()).isNotBlank().doesNotContain(" — ");
            }
        }
    }

    @Test
    void statementLookupRejectsOtherFrameworksAndPositions() {
        Framework chemical = frameworks.get(0);
        Framework other = frameworks.get(1);
        assertThat(chemical.statement(other.statements().get(0).id())).isEmpty();
        assertThat(chemical.statement(new StatementId(chemical.id(), Level.ADVANCED, 11))).isEmpty();
    }

    @Test
    void attributionIsKept() {
        Framework chemical = frameworks.get(0);
        assertThat(chemical.provenance().attribution()).isEqualTo("© EBSCOed");
        assertThat(chemical.provenance().sources()).containsEntry("onet", "v30.2 (CC BY 4.0)")
                .containsEntry("generator", "LER.me");
        assertThat(chemical.occupation().title()).isEqualTo("Chemical Plant and System Operators");
    }

    @Test
    void levelsAreOrdered() {
        assertThat(Level.values()).containsExactly(Level.EMERGING, Level.DEVELOPING, Level.PROFICIENT, Level.ADVANCED);
        assertThat(Level.PROFICIENT.below()).contains(Level.DEVELOPING);
        assertThat(Level.EMERGING.below()).isEmpty();
        assertThat(Level.fromId("advanced")).contains(Level.ADVANCED);
        assertThat(Level.fromId("Advanced")).isEmpty();
    }
}
