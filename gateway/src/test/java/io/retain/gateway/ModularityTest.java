package io.retain.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's package boundaries, checked on its main classes: the rules of service-support's
 * {@code Modularity} (not on the gateway's classpath), plus no use of service-support itself, which
 * is subgraph plumbing.
 */
@AnalyzeClasses(
    packages = "io.retain.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTest {

  /** A feature package can be read, changed and moved without dragging the others along. */
  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("io.retain.gateway.(*)..").should().beFreeOfCycles();

  /** A generic gateway: it meets the subgraphs over HTTP only, and holds no domain types. */
  @ArchTest
  static final ArchRule noOtherServiceCode =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.retain.customer..",
              "io.retain.scoring..",
              "io.retain.retention..",
              "io.retain.support..");
}
