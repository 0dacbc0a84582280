package io.retain.support.security;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.Introspection;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * Schema introspection ({@code __schema}, {@code __type}) only for a caller with a valid token: the
 * subgraph schema shows internal fields (feeds, service aggregates) that anonymous callers need not
 * see. {@code __typename} stays open.
 */
public class IntrospectionGuard implements WebGraphQlInterceptor {

  @Override
  public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(SecurityContext::getAuthentication)
        .filter(Authentication::isAuthenticated)
        .hasElement()
        .flatMap(
            authenticated -> {
              if (authenticated) {
                return chain.next(request);
              }
              request.configureExecutionInput(
                  (input, builder) ->
                      builder
                          .graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true))
                          .build());
              return chain.next(request).map(IntrospectionGuard::explain);
            });
  }

  /** graphql-java's refusal gets the suite's code and says what to send. */
  private static WebGraphQlResponse explain(WebGraphQlResponse response) {
    List<GraphQLError> errors = response.getExecutionResult().getErrors();
    if (errors.stream().noneMatch(IntrospectionGuard::isIntrospectionRefusal)) {
      return response;
    }
    List<GraphQLError> out =
        errors.stream()
            .map(
                e ->
                    isIntrospectionRefusal(e)
                        ? GraphqlErrorBuilder.newError()
                            .message("Introspection needs a bearer token")
                            .locations(e.getLocations())
                            .errorType(ErrorType.UNAUTHORIZED)
                            .extensions(Map.of("code", "UNAUTHENTICATED"))
                            .build()
                        : e)
            .toList();
    return response.transform(b -> b.errors(out));
  }

  private static boolean isIntrospectionRefusal(GraphQLError e) {
    return e.getErrorType() != null && "IntrospectionDisabled".equals(e.getErrorType().toString());
  }
}
