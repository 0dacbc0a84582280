package io.retain.support.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The package rules every module's {@code ModularityTest} checks on its main classes: its feature
 * packages are free of cycles, its controllers hold no SQL, and it uses no other service's code
 * (services meet only over the HTTP contracts of docs/contracts.md).
 */
public final class Modularity {

  /** The root package of each service and of the gateway. */
  public static final List<String> SERVICES =
      List.of(
          "io.retain.customer", "io.retain.scoring", "io.retain.retention", "io.retain.gateway");

  private Modularity() {}

  /** A feature package can be read, changed and moved without dragging the others along. */
  public static ArchRule featurePackagesAreFreeOfCycles(String rootPackage) {
    return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
  }

  /**
   * Controller → service/policy → repository: no class named {@code *Controller} talks to the
   * database itself (retention-service is the model).
   */
  public static ArchRule controllersHoldNoSql() {
    return noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.r2dbc.core.DatabaseClient")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.r2dbc.spi.Connection")
        .because("SQL belongs in the feature's repository");
  }

  /** Classes of {@code rootPackage} use no service's code but their own. */
  public static ArchRule noOtherServiceCode(String rootPackage) {
    String[] others =
        SERVICES.stream()
            .filter(s -> !s.equals(rootPackage))
            .map(s -> s + "..")
            .toArray(String[]::new);
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(others);
  }
}
