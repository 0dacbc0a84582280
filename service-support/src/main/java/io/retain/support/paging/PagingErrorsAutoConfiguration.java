package io.retain.support.paging;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A refused connection stays null ({@link RefusedConnections}). After Boot's GraphQL configuration
 * and last in order, so its type visitor comes after Boot's connection visitor and wraps it.
 */
@AutoConfiguration(after = GraphQlAutoConfiguration.class)
public class PagingErrorsAutoConfiguration {

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  GraphQlSourceBuilderCustomizer refusedConnectionsStayNull() {
    return builder -> builder.typeVisitors(List.of(new RefusedConnections()));
  }
}
