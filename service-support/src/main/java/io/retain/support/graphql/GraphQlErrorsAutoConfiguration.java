package io.retain.support.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationDeniedException;

/**
 * Turns exceptions into GraphQL errors with a stable {@code extensions.code}; never a stack trace
 * to the client.
 */
@AutoConfiguration
public class GraphQlErrorsAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GraphQlErrorsAutoConfiguration.class);

  @Bean
  @Order(0)
  DataFetcherExceptionResolver retainErrors() {
    return new DataFetcherExceptionResolverAdapter() {
      @Override
      protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        return toError(ex, env);
      }
    };
  }

  static GraphQLError toError(Throwable ex, DataFetchingEnvironment env) {
    if (ex instanceof ApiException api) {
      Map<String, Object> ext = new LinkedHashMap<>();
      ext.put("code", api.code());
      if (api.field() != null) {
        ext.put("field", api.field());
      }
      if (api.expected() != null) {
        ext.put("expected", api.expected());
      }
      return GraphqlErrorBuilder.newError(env)
          .errorType("NOT_FOUND".equals(api.code()) ? ErrorType.NOT_FOUND : ErrorType.BAD_REQUEST)
          .message(api.getMessage())
          .extensions(ext)
          .build();
    }
    if (ex instanceof AuthenticationCredentialsNotFoundException) {
      return GraphqlErrorBuilder.newError(env)
          .errorType(ErrorType.UNAUTHORIZED)
          .message("Authentication required: send a bearer token")
          .extensions(Map.of("code", "UNAUTHENTICATED"))
          .build();
    }
    if (ex instanceof AccessDeniedException || ex instanceof AuthorizationDeniedException) {
      return GraphqlErrorBuilder.newError(env)
          .errorType(ErrorType.FORBIDDEN)
          .message("Forbidden: your roles do not allow " + env.getField().getName())
          .extensions(Map.of("code", "FORBIDDEN"))
          .build();
    }
    log.error("Unexpected error in {}", env.getExecutionStepInfo().getPath(), ex);
    return GraphqlErrorBuilder.newError(env)
        .errorType(ErrorType.INTERNAL_ERROR)
        .message("Internal error")
        .extensions(Map.of("code", "INTERNAL"))
        .build();
  }
}
