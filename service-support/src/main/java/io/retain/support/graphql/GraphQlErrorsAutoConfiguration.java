package io.retain.support.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolver;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

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

  /** The same errors for a subscription's stream, which fails after its data fetcher returned. */
  @Bean
  @Order(0)
  SubscriptionExceptionResolver retainSubscriptionErrors() {
    return new SubscriptionExceptionResolverAdapter() {
      @Override
      protected GraphQLError resolveToSingleError(Throwable ex) {
        return toError(ex, null);
      }
    };
  }

  /** NUL characters refused as bad input; no repeated "wrongly returned a null value". */
  @Bean
  ErrorHygiene errorHygiene() {
    return new ErrorHygiene();
  }

  /**
   * The same errors for exceptions in {@code @EntityMapping} methods: Spring's {@code _entities}
   * fetcher asks only controller advice, and would otherwise answer {@code INTERNAL_ERROR} with the
   * exception's message.
   */
  @Bean
  EntityErrors retainEntityErrors() {
    return new EntityErrors();
  }

  /** Advice for the exceptions {@link #toError} maps to a client error. */
  @ControllerAdvice
  static class EntityErrors {
    @GraphQlExceptionHandler({
      ApiException.class,
      AccessDeniedException.class,
      AuthenticationCredentialsNotFoundException.class
    })
    GraphQLError handle(Exception ex, DataFetchingEnvironment env) {
      return toError(ex, env);
    }
  }

  /**
   * 405 with {@code Allow: GET, POST} for other methods on the GraphQL path, instead of a 404 page
   * (routes are tried in order: this one after Spring's GraphQL routes).
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  RouterFunction<ServerResponse> graphQlOtherMethods(
      @Value("${spring.graphql.http.path:/graphql}") String path) {
    return RouterFunctions.route(
        RequestPredicates.path(path)
            .and(RequestPredicates.method(HttpMethod.GET).negate())
            .and(RequestPredicates.method(HttpMethod.POST).negate()),
        request ->
            ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, "GET, POST")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of(
                        "errors",
                        List.of(
                            Map.of(
                                "message",
                                request.method() + " is not supported on " + path + "; use POST",
                                "extensions",
                                Map.of("code", "METHOD_NOT_ALLOWED"))))));
  }

  /** {@code env} is null for an error in a subscription's stream. */
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
      ext.putAll(api.details());
      return builder(env)
          .errorType("NOT_FOUND".equals(api.code()) ? ErrorType.NOT_FOUND : ErrorType.BAD_REQUEST)
          .message(api.getMessage())
          .extensions(ext)
          .build();
    }
    if (ex instanceof AuthenticationCredentialsNotFoundException) {
      return builder(env)
          .errorType(ErrorType.UNAUTHORIZED)
          .message("Authentication required: send a bearer token")
          .extensions(Map.of("code", "UNAUTHENTICATED"))
          .build();
    }
    if (ex instanceof AccessDeniedException || ex instanceof AuthorizationDeniedException) {
      return builder(env)
          .errorType(ErrorType.FORBIDDEN)
          .message(
              "Forbidden: your roles do not allow "
                  + (env == null ? "this subscription" : env.getField().getName()))
          .extensions(Map.of("code", "FORBIDDEN"))
          .build();
    }
    log.error(
        "Unexpected error in {}",
        env == null ? "a subscription" : env.getExecutionStepInfo().getPath(),
        ex);
    return builder(env)
        .errorType(ErrorType.INTERNAL_ERROR)
        .message("Internal error")
        .extensions(Map.of("code", "INTERNAL"))
        .build();
  }

  private static GraphqlErrorBuilder<?> builder(DataFetchingEnvironment env) {
    return env == null ? GraphqlErrorBuilder.newError() : GraphqlErrorBuilder.newError(env);
  }
}
