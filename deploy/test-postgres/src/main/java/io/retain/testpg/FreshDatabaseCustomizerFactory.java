package io.retain.testpg;

import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Gives every {@link PostgresTest} class its own database (registered in spring.factories). */
public class FreshDatabaseCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    if (!TestContextAnnotationUtils.hasAnnotation(testClass, PostgresTest.class)) {
      return null;
    }
    return new FreshDatabaseCustomizer(testClass);
  }

  /** Keyed by test class, so each class gets its own context and database. */
  record FreshDatabaseCustomizer(Class<?> testClass) implements ContextCustomizer {
    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration config) {
      TestDatabase db = TestPostgres.createDatabase(testClass.getSimpleName());
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("testPostgres", db.springProperties()));
    }
  }
}
