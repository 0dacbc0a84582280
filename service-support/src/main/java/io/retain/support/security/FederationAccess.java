package io.retain.support.security;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * Default-deny for the federation machinery, whatever the subgraph's controllers declare: {@code
 * _entities} needs a caller with a read role and {@code _service} (the full SDL, internal fields
 * included) needs SERVICE or ADMIN. A subgraph that forgets a {@code @PreAuthorize} on an entity
 * field therefore still answers nothing to an anonymous caller.
 */
public final class FederationAccess extends GraphQLTypeVisitorStub {

  /** Who may call each federation root field. */
  static final Map<String, Set<Role>> RULES =
      Map.of(
          "_entities", EnumSet.of(Role.ANALYST, Role.SERVICE),
          "_service", EnumSet.of(Role.SERVICE, Role.ADMIN));

  @Override
  public TraversalControl visitGraphQLFieldDefinition(
      GraphQLFieldDefinition field, TraverserContext<GraphQLSchemaElement> context) {
    Set<Role> anyOf = RULES.get(field.getName());
    if (anyOf != null
        && context.getParentNode() instanceof GraphQLObjectType parent
        && parent.getName().equals("Query")) {
      GraphQLCodeRegistry.Builder code =
          context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
      DataFetcher<?> fetcher = code.getDataFetcher(parent, field);
      code.dataFetcher(parent, field, new Guarded(fetcher, field.getName(), anyOf));
    }
    return TraversalControl.CONTINUE;
  }

  /** Runs the federation fetcher only for a caller holding one of {@code anyOf}. */
  record Guarded(DataFetcher<?> delegate, String field, Set<Role> anyOf)
      implements DataFetcher<Mono<Object>> {

    @Override
    public Mono<Object> get(DataFetchingEnvironment env) {
      return ReactiveSecurityContextHolder.getContext()
          .mapNotNull(SecurityContext::getAuthentication)
          .filter(Authentication::isAuthenticated)
          .switchIfEmpty(
              Mono.error(
                  () ->
                      new AuthenticationCredentialsNotFoundException(
                          field + " needs a bearer token")))
          .flatMap(
              caller ->
                  anyOf.stream().anyMatch(r -> Caller.hasAuthority(caller, r))
                      ? Mono.defer(() -> fetch(env))
                      : Mono.error(new AccessDeniedException(field + " needs one of " + anyOf)));
    }

    @SuppressWarnings("unchecked")
    private Mono<Object> fetch(DataFetchingEnvironment env) {
      Object value;
      try {
        value = delegate.get(env);
      } catch (Exception e) {
        return Mono.error(e);
      }
      if (value instanceof Mono<?> mono) {
        return (Mono<Object>) mono;
      }
      if (value instanceof CompletionStage<?> stage) {
        return Mono.fromCompletionStage((CompletionStage<Object>) stage);
      }
      return Mono.justOrEmpty(value);
    }
  }
}
