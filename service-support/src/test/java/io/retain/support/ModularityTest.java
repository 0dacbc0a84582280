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

  /** The shared rule is not vacuous: a controller using a connection is reported. */
  @org.junit.jupiter.api.Test
  void aControllerWithSqlIsReported() {
    var classes =
        new com.tngtech.archunit.core.importer.ClassFileImporter()
            .importClasses(SqlController.class);
    org.assertj.core.api.Assertions.assertThat(
            Modularity.controllersHoldNoSql().evaluate(classes).getFailureReport().getDetails())
        .isNotEmpty()
        .allSatisfy(
            d ->
                org.assertj.core.api.Assertions.assertThat(d)
                    .contains("SqlController")
                    .contains("io.r2dbc.spi.Connection"));
  }

  static final class SqlController {
    Object count(io.r2dbc.spi.Connection c) {
      return c.createStatement("select count(*) from customer").execute();
    }
  }
}
