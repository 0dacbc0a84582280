package io.retain.support.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The repeated non-null error is dropped, a lone one kept; NUL in any String argument refused. */
class ErrorHygieneTest {

  static final String SDL =
      "type Query { refused: String!  broken: String!  echo(text: String, input: In): String! }"
          + " input In { names: [String!] }";

  static GraphQL graphQl() {
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Query",
                t ->
                    t.dataFetcher(
                            "refused",
                            // asynchronously, as a Mono from a Spring controller fails
                            env ->
                                CompletableFuture.failedFuture(
                                    ApiException.badInput("first", "1..100", "first -1")))
                        .dataFetcher("broken", env -> null)
                        .dataFetcher("echo", env -> "ok"))
            .build();
    return GraphQL.newGraphQL(
            new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring))
        .instrumentation(new ErrorHygiene())
        // as Spring for GraphQL does: errors from the exception handler, then graphql-java's own
        .defaultDataFetcherExceptionHandler(
            params ->
                CompletableFuture.completedFuture(
                    DataFetcherExceptionHandlerResult.newResult()
                        .error(
                            GraphQlErrorsAutoConfiguration.toError(
                                params.getException(), params.getDataFetchingEnvironment()))
                        .build()))
        .build();
  }

  static List<Map<String, Object>> errors(String query) {
    ExecutionResult r = graphQl().execute(query);
    return r.getErrors().stream().map(GraphQLError::toSpecification).toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> ext(Map<String, Object> error) {
    return (Map<String, Object>) error.get("extensions");
  }

  @Test
  void aRefusalComesAloneWithoutTheNonNullEcho() {
    List<Map<String, Object>> errors = errors("{ refused }");
    assertThat(errors).hasSize(1);
    assertThat(ext(errors.get(0)))
        .containsEntry("code", "BAD_USER_INPUT")
        .containsEntry("field", "first")
        .containsEntry("expected", "1..100");
    assertThat(errors.get(0).get("path")).isEqualTo(List.of("refused"));
  }

  @Test
  void aNullFromAResolverThatDidNotFailKeepsItsNonNullError() {
    List<Map<String, Object>> errors = errors("{ broken }");
    assertThat(errors).hasSize(1);
    assertThat((String) errors.get(0).get("message")).contains("wrongly returned a null value");
  }

  @Test
  void aNulCharacterInAStringArgumentIsBadInputNamingTheArgument() {
    List<Map<String, Object>> direct = errors("{ echo(text: \"a\\u0000b\") }");
    assertThat(direct).hasSize(1);
    assertThat(ext(direct.get(0)))
        .containsEntry("code", "BAD_USER_INPUT")
        .containsEntry("field", "text")
        .containsEntry("expected", "text without NUL (\\u0000) characters");
    List<Map<String, Object>> nested = errors("{ echo(input: {names: [\"ok\", \"x\\u0000\"]}) }");
    assertThat(nested).hasSize(1);
    assertThat(((Map<?, ?>) nested.get(0).get("extensions")).get("field")).isEqualTo("input.names");
    assertThat(errors("{ echo(text: \"fine\") }")).isEmpty();
  }

  @Test
  void onlyTheEchoAtTheRefusedPathOrAboveItsErrorIsDropped() {
    GraphQLError refused =
        GraphqlErrorBuilder.newError()
            .message("Forbidden")
            .path(List.of("customers", 0, "loyalty"))
            .extensions(Map.of("code", "FORBIDDEN"))
            .build();
    GraphQLError echo = nonNull(List.of("customers", 0, "loyalty"));
    GraphQLError echoAbove = nonNull(List.of("customers", 0));
    GraphQLError elsewhere = nonNull(List.of("other"));
    ExecutionResult result =
        ExecutionResult.newExecutionResult()
            .errors(List.of(refused, echo, echoAbove, elsewhere))
            .build();
    ExecutionResult cleaned =
        new ErrorHygiene().instrumentExecutionResult(result, null, null).join();
    assertThat(cleaned.getErrors()).containsExactly(refused, elsewhere);
  }

  static GraphQLError nonNull(List<Object> path) {
    return GraphqlErrorBuilder.newError()
        .message(
            "The field at path '/x' was declared as a non null type, but the code involved in"
                + " retrieving data has wrongly returned a null value.")
        .errorType(graphql.ErrorType.NullValueInNonNullableField)
        .path(path)
        .build();
  }
}
