package io.retain.scoring.profile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;

/**
 * controller → service/policy → repository: the profile controller reaches storage only through the
 * service.
 */
class ProfileLayersTest {

  static final JavaClasses PROFILE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.retain.scoring.profile");

  @Test
  void theControllerNeitherRunsSqlNorCallsTheRepository() {
    noClasses()
        .that()
        .areAnnotatedWith(Controller.class)
        .should()
        .dependOnClassesThat()
        .areAssignableTo(DatabaseClient.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(ProfileRepository.class)
        .check(PROFILE);
  }
}
