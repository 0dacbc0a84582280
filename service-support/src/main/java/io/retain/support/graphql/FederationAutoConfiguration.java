package io.retain.support.graphql;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.data.federation.FederationSchemaFactory;

/** Makes the service an Apollo Federation v2 subgraph ({@code _service}, {@code _entities}). */
@AutoConfiguration
public class FederationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FederationSchemaFactory federationSchemaFactory() {
    return new FederationSchemaFactory();
  }

  @Bean
  GraphQlSourceBuilderCustomizer federationSchema(FederationSchemaFactory factory) {
    return builder -> builder.schemaFactory(factory::createGraphQLSchema);
  }

  /** Parse and validate each distinct document once per process (see {@link DocumentCache}). */
  @Bean
  GraphQlSourceBuilderCustomizer documentCache() {
    DocumentCache cache = new DocumentCache(1_000);
    return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(cache));
  }
}
