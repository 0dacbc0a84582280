package io.retain.scoring.customer;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/**
 * Resolves Customer references so scoring can add loyalty fields to customers it does not own. The
 * owner of the data decides who may read it: the same role as the root queries (ANALYST).
 */
@Controller
class CustomerEntityController {

  @EntityMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<Customer> customer(@Argument List<String> idList) {
    return Flux.fromIterable(idList).map(Customer::new);
  }

  /**
   * {@code _entities} reports errors through its controllers' handlers only (not the service's
   * error resolver): a refusal is FORBIDDEN, as on every other field, not an internal error.
   */
  @GraphQlExceptionHandler
  GraphQLError forbidden(AccessDeniedException e, DataFetchingEnvironment env) {
    return GraphqlErrorBuilder.newError(env)
        .errorType(ErrorType.FORBIDDEN)
        .message("Forbidden: your roles do not allow " + env.getField().getName())
        .extensions(Map.of("code", "FORBIDDEN"))
        .build();
  }
}
