package io.retain.customer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Controller → service/policy → repository: no controller in the service holds SQL. */
class LayeringRulesTest {

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retain.customer");

  static final ArchRule CONTROLLERS_WITHOUT_SQL =
      noClasses()
          .that()
          .resideInAPackage("io.retain.customer..")
          .and()
          .haveSimpleNameEndingWith("Controller")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(DatabaseClient.class)
          .because("SQL belongs in the feature's repository");

  /** Test-only: what the rule must refuse. */
  static final class SqlController {
    private final DatabaseClient db;

    SqlController(DatabaseClient db) {
      this.db = db;
    }

    Mono<Long> count() {
      return db.sql("select count(*) from customer").map((r, m) -> r.get(0, Long.class)).one();
    }
  }

  @Test
  void noControllerReadsThroughDatabaseClient() {
    CONTROLLERS_WITHOUT_SQL.check(CLASSES);
  }

  @Test
  void theRuleCoversEveryFeaturesControllers() {
    assertThat(
            CLASSES.stream()
                .filter(c -> c.getSimpleName().endsWith("Controller"))
                .map(JavaClass::getName))
        .contains(
            "io.retain.customer.importing.QuarantineController",
            "io.retain.customer.importing.RecordController",
            "io.retain.customer.importing.ImportController",
            "io.retain.customer.profile.CustomerController");
  }

  @Test
  void theRuleSeesSqlInAController() {
    // a separate import that includes this test class, so the production import stays clean
    JavaClasses withTests = new ClassFileImporter().importClasses(SqlController.class);

    EvaluationResult result = CONTROLLERS_WITHOUT_SQL.evaluate(withTests);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .isNotEmpty()
        .allMatch(d -> d.contains(SqlController.class.getName()))
        .anyMatch(d -> d.contains("DatabaseClient.sql("));
  }
}
