package io.retain.customer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.retain.support.test.Modularity;

/** customer-service's package boundaries ({@link Modularity}). */
@AnalyzeClasses(
    packages = "io.retain.customer",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTest {

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      Modularity.featurePackagesAreFreeOfCycles("io.retain.customer");

  @ArchTest
  static final ArchRule noOtherServiceCode = Modularity.noOtherServiceCode("io.retain.customer");

  @ArchTest static final ArchRule controllersHoldNoSql = Modularity.controllersHoldNoSql();
}
