package io.retain.support.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {

  private final GraphQLSchema schema =
      new SchemaGenerator()
          .makeExecutableSchema(
              new SchemaParser().parse("type Query { echo(text: String!): String }"),
              RuntimeWiring.newRuntimeWiring()
                  .type("Query", t -> t.dataFetcher("echo", env -> env.getArgument("text")))
                  .build());

  /** A cache whose parse-and-validate step is counted. */
  private final AtomicInteger parses = new AtomicInteger();

  private GraphQL graphQl(DocumentCache cache) {
    return GraphQL.newGraphQL(schema)
        .preparsedDocumentProvider(
            (input, parse) ->
                cache.getDocumentAsync(
                    input,
                    i -> {
                      parses.incrementAndGet();
                      return parse.apply(i);
                    }))
        .build();
  }

  private static ExecutionResult run(GraphQL graphQl, String query, Map<String, Object> vars) {
    return graphQl.execute(b -> b.query(query).variables(vars));
  }

  @Test
  void theSameDocumentIsParsedOnceAndAnswersEachRequestsOwnVariables() {
    GraphQL graphQl = graphQl(new DocumentCache(10));
    String q = "query($t: String!) { echo(text: $t) }";

    assertThat(run(graphQl, q, Map.of("t", "one")).<Map<String, Object>>getData())
        .isEqualTo(Map.of("echo", "one"));
    assertThat(run(graphQl, q, Map.of("t", "two")).<Map<String, Object>>getData())
        .isEqualTo(Map.of("echo", "two"));
    assertThat(parses).hasValue(1);

    run(graphQl, "{ echo(text: \"x\") }", Map.of());
    assertThat(parses).hasValue(2);
  }

  @Test
  void anInvalidDocumentKeepsItsErrorsOnEveryRequest() {
    GraphQL graphQl = graphQl(new DocumentCache(10));
    for (int i = 0; i < 2; i++) {
      ExecutionResult r = run(graphQl, "{ nope }", Map.of());
      assertThat(r.getErrors()).hasSize(1);
      assertThat(r.getErrors().get(0).getMessage()).contains("nope");
      assertThat(r.isDataPresent()).isFalse();
    }
    assertThat(parses).hasValue(1);
  }

  @Test
  void memoryStaysBoundedWhenEveryDocumentIsNew() {
    DocumentCache cache = new DocumentCache(3);
    GraphQL graphQl = graphQl(cache);
    for (int i = 0; i < 10; i++) {
      run(graphQl, "{ echo(text: \"" + i + "\") }", Map.of());
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(parses).hasValue(10);
    PreparsedDocumentEntry last =
        cache
            .getDocumentAsync(
                graphql.ExecutionInput.newExecutionInput("{ echo(text: \"9\") }").build(),
                i -> {
                  throw new AssertionError("the newest document should still be cached");
                })
            .join();
    assertThat(last.getDocument()).isNotNull();
  }
}
