package io.retain.support.graphql;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code PageInfo} and {@code UserError} to every subgraph's schema from one file, so the
 * gateway composes identical @shareable types (Boot's schema location reads only the service's own
 * {@code graphql/} folder, not a jar's).
 */
@AutoConfiguration
public class SharedTypesAutoConfiguration {

  static final String SHARED_TYPES = "io/retain/support/graphql/shared-types.graphqls";

  @Bean
  GraphQlSourceBuilderCustomizer sharedTypes() {
    return builder -> builder.schemaResources(new ClassPathResource(SHARED_TYPES));
  }
}
