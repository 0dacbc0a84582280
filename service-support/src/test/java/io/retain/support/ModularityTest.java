package io.retain.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.retain.support.test.Modularity;

/** service-support's package boundaries, checked on its main classes. */
@AnalyzeClasses(
    packages = "io.retain.support",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTest {

  /** Shared plumbing serves every service, so it may know none of them. */
  @ArchTest
  static final ArchRule dependsOnNoService =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              Modularity.SERVICES.stream().map(s -> s + "..").toArray(String[]::new));

  /** Security, GraphQL and R2DBC plumbing stay separable. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      Modularity.featurePackagesAreFreeOfCycles("io.retain.support");
}
