package io.credpipe.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The layer rules can fail: each is run over fixture classes that break it on purpose
 * ({@code io.credpipe.fixture}, test sources only), and over clean ones that keep it.
 */
class LayerRulesTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("io.credpipe.fixture");

    @Test
    void kafkaInAPurePackageIsAViolation() {
        assertThatThrownBy(() -> LayerRules.PURE_PACKAGES_IMPORT_NO_INFRASTRUCTURE.check(FIXTURES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("KafkaInTheDomain");
    }

    @Test
    void httpReachingIntoStreamIsAViolation() {
        assertThatThrownBy(() -> LayerRules.HTTP_NEVER_IMPORTS_STREAM_OR_KAFKA.check(FIXTURES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("RouteReachingIntoStream");
    }

    @Test
    void aPackageCycleIsAViolation() {
        assertThatThrownBy(() -> LayerRules.NO_PACKAGE_CYCLES.check(FIXTURES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("fixture - first");
    }

    @Test
    void cleanClassesPass() {
        JavaClasses clean = new ClassFileImporter().importPackages("io.credpipe.fixture.stream");
        assertThatCode(() -> LayerRules.PURE_PACKAGES_IMPORT_NO_INFRASTRUCTURE.check(clean)).doesNotThrowAnyException();
        assertThatCode(() -> LayerRules.HTTP_NEVER_IMPORTS_STREAM_OR_KAFKA.check(clean)).doesNotThrowAnyException();
        assertThatCode(() -> LayerRules.NO_PACKAGE_CYCLES.check(clean)).doesNotThrowAnyException();
    }
}
