package io.credpipe.ingest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.credpipe.architecture.LayerRules;

/** DESIGN.md's layer rules, over this module's main classes. */
@AnalyzeClasses(packages = "io.credpipe.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchTests LAYER_RULES = ArchTests.in(LayerRules.class);
}
