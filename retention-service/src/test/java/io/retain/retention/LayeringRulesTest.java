package io.retain.retention;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Controller → service/policy → repository: controllers hold no SQL and no transactions. */
class LayeringRulesTest {

  @Test
  void controllersLeaveSqlAndTransactionsToServicesAndRepositories() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(DatabaseClient.class, TransactionalOperator.class)
        .because("SQL belongs in the feature's repository, transactions in its service")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.retain.retention"));
  }
}
