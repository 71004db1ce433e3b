package io.credpipe.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md's module rules as ArchUnit rules. Each module checks its own classes against them with a
 * two-line test ({@code @AnalyzeClasses} over its root package, {@code ArchTests.in(LayerRules.class)}),
 * so a rule is written once and a module cannot quietly opt out of one.
 *
 * <p>Every rule allows an empty subject: a module without an {@code http} package has nothing to
 * check there, which is not a violation.
 */
public final class LayerRules {

    /** The packages that hold plain domain logic, free of any transport or runtime. */
    public static final String[] PURE_PACKAGES = {
        "io.credpipe.model..",
        "io.credpipe.*.rule..",
        "io.credpipe.*.intake..",
        "io.credpipe.*.credential..",
        "io.credpipe.*.status..",
        "io.credpipe.*.signing..",
        "io.credpipe.*.delivery..",
        "io.credpipe.*.checks..",
    };

    /** Pure packages import no Kafka, no HTTP server and no metrics library. */
    @ArchTest
    public static final ArchRule PURE_PACKAGES_IMPORT_NO_INFRASTRUCTURE = noClasses()
            .that().resideInAnyPackage(PURE_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.javalin..", "io.micrometer..")
            .because("DESIGN.md: domain logic is plain Java, testable without a broker or a server")
            .allowEmptyShould(true);

    /** Only the signing side (issuer) and the JWS side (verifier) know Nimbus. */
    @ArchTest
    public static final ArchRule ONLY_SIGNING_AND_JWS_IMPORT_NIMBUS = noClasses()
            .that().resideInAnyPackage("io.credpipe.model..", "io.credpipe.topics..", "io.credpipe.ingest..",
                    "io.credpipe.evaluator..", "io.credpipe.issuer..", "io.credpipe.verifier..")
            .and().resideOutsideOfPackages("io.credpipe.*.signing..", "io.credpipe.*.jws..")
            .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")
            .because("DESIGN.md: only signing and jws import Nimbus, so the JOSE surface has one home per side")
            .allowEmptyShould(true);

    /** HTTP handlers get ports from the service root, never the Kafka side itself. */
    @ArchTest
    public static final ArchRule HTTP_NEVER_IMPORTS_STREAM_OR_KAFKA = noClasses()
            .that().resideInAPackage("io.credpipe.*.http..")
            .and().resideOutsideOfPackage("io.credpipe.app..")
            .should().dependOnClassesThat().resideInAnyPackage("io.credpipe.*.stream..", "io.credpipe.*.kafka..")
            .because("DESIGN.md: http gets ports (interfaces, lambdas) from the service root")
            .allowEmptyShould(true);

    /** Benchmarks live in the bench module, never in a stage's jar. */
    @ArchTest
    public static final ArchRule NO_BENCHMARKS_IN_STAGES = noClasses()
            .that().resideInAnyPackage("io.credpipe.model..", "io.credpipe.topics..", "io.credpipe.ingest..",
                    "io.credpipe.evaluator..", "io.credpipe.issuer..", "io.credpipe.verifier..")
            .should().haveSimpleNameEndingWith("Benchmark")
            .orShould().dependOnClassesThat().resideInAPackage("io.credpipe.bench..")
            .because("DESIGN.md: no benchmark code in a stage module")
            .allowEmptyShould(true);

    /** The verifier is an employer's tool: it never holds the issuer's code or the pipeline's topics. */
    @ArchTest
    public static final ArchRule VERIFIER_DEPENDS_ON_MODEL_ONLY = noClasses()
            .that().resideInAPackage("io.credpipe.verifier..")
            .should().dependOnClassesThat().resideInAnyPackage("io.credpipe.issuer..", "io.credpipe.topics..",
                    "io.credpipe.ingest..", "io.credpipe.evaluator..", "org.apache.kafka..")
            .because("DESIGN.md: an employer never holds the issuer's code or keys")
            .allowEmptyShould(true);

    /** The packages of one module form no cycle, so each layer can be read without the ones above it. */
    @ArchTest
    public static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("io.credpipe.(*).(*)..")
            .should().beFreeOfCycles()
            .allowEmptyShould(true);

    private LayerRules() {}
}
