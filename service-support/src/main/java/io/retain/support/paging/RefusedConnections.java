package io.retain.support.paging;

import graphql.TrivialDataFetcher;
import graphql.execution.DataFetcherResult;
import graphql.relay.Connection;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/**
 * Keeps a refused connection field null. Spring's {@code ConnectionFieldTypeVisitor} turns the null
 * data of a handled error (bad {@code first}, a missing role) into an empty connection when the
 * field is non-null, so a client got the error and {@code {edges: []}} beside it; here such an
 * answer becomes null again, and the null goes up as it did before {@code Window} (data null, one
 * error). Registered after Boot's visitor, so it wraps Spring's connection data fetcher.
 */
final class RefusedConnections extends GraphQLTypeVisitorStub {

  @Override
  public TraversalControl visitGraphQLFieldDefinition(
      GraphQLFieldDefinition field, TraverserContext<GraphQLSchemaElement> context) {
    if (GraphQLTypeUtil.unwrapAll(field.getType()).getName().endsWith("Connection")) {
      GraphQLCodeRegistry.Builder registry =
          context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
      FieldCoordinates at =
          FieldCoordinates.coordinates((GraphQLFieldsContainer) context.getParentNode(), field);
      DataFetcher<?> fetcher = registry.getDataFetcher(at, field);
      if (!(fetcher instanceof TrivialDataFetcher<?>)) {
        registry.dataFetcher(at, (DataFetcher<Object>) env -> nullWhenRefused(fetcher.get(env)));
      }
    }
    return TraversalControl.CONTINUE;
  }

  static Object nullWhenRefused(Object result) {
    if (result instanceof Mono<?> mono) {
      return mono.map(RefusedConnections::unwrap);
    }
    if (result instanceof CompletionStage<?> stage) {
      return stage.thenApply(RefusedConnections::unwrap);
    }
    return unwrap(result);
  }

  private static Object unwrap(Object value) {
    if (value instanceof DataFetcherResult<?> r
        && !r.getErrors().isEmpty()
        && r.getData() instanceof Connection<?> c
        && c.getEdges().isEmpty()) {
      return DataFetcherResult.newResult().errors(r.getErrors()).build();
    }
    return value;
  }
}
