package io.retain.support.observe;

import graphql.GraphQL;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The subgraphs' GraphQL spans ({@link GraphQlTracing}); Boot adds instrumentation beans. */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({GraphQL.class, ObservationRegistry.class})
@ConditionalOnBean(ObservationRegistry.class)
public class SubgraphTracingAutoConfiguration {

  @Bean
  GraphQlTracing graphQlTracing(ObservationRegistry registry) {
    return new GraphQlTracing(registry);
  }
}
