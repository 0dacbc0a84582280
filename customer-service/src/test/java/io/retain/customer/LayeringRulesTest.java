package io.retain.customer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/** Controller → policy → repository: controllers hold no SQL (importing is not covered yet). */
class LayeringRulesTest {

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retain.customer");

  static ArchRule controllersWithoutSql(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .and()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(DatabaseClient.class)
        .because("SQL belongs in the feature's repository");
  }

  @Test
  void profileActivityAndChurnControllersReadThroughRepositories() {
    controllersWithoutSql(
            "io.retain.customer.profile..",
            "io.retain.customer.activity..",
            "io.retain.customer.churn..")
        .check(CLASSES);
  }

  @Test
  void theRuleSeesSqlInAController() {
    // importing's controllers still run SQL themselves, so the rule is not vacuous
    assertThat(
            controllersWithoutSql("io.retain.customer.importing..")
                .evaluate(CLASSES)
                .hasViolation())
        .isTrue();
  }
}
