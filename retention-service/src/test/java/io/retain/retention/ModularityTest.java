package io.retain.retention;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.retain.support.test.Modularity;

/** retention-service's package boundaries ({@link Modularity}). */
@AnalyzeClasses(
    packages = "io.retain.retention",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTest {

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      Modularity.featurePackagesAreFreeOfCycles("io.retain.retention");

  @ArchTest
  static final ArchRule noOtherServiceCode = Modularity.noOtherServiceCode("io.retain.retention");

  @ArchTest static final ArchRule controllersHoldNoSql = Modularity.controllersHoldNoSql();
}
