package io.retain.support.graphql;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Two rules for every operation of a subgraph:
 *
 * <ul>
 *   <li>a String argument holding a NUL character is refused with {@code BAD_USER_INPUT} naming the
 *       argument before any resolver (and so any SQL: PostgreSQL refuses NUL in text) runs;
 *   <li>graphql-java adds "The field … was declared as a non null type, but the code … wrongly
 *       returned a null value" when a non-null field is null because its resolver failed; that
 *       error only repeats the real one (FORBIDDEN, BAD_USER_INPUT, …) and is dropped when another
 *       error sits at the same path or below it. Alone, it is kept: then it is the real bug.
 * </ul>
 */
public class ErrorHygiene extends SimplePerformantInstrumentation {

  @Override
  public DataFetcher<?> instrumentDataFetcher(
      DataFetcher<?> fetcher,
      InstrumentationFieldFetchParameters parameters,
      InstrumentationState state) {
    if (parameters.getExecutionStepInfo().getFieldDefinition().getArguments().isEmpty()) {
      return fetcher;
    }
    return env -> {
      String field = nulIn(env.getArguments(), "");
      if (field != null) {
        throw ApiException.badInput(
            field,
            "text without NUL (\\u0000) characters",
            field + " contains a NUL (\\u0000) character");
      }
      return fetcher.get(env);
    };
  }

  /** The dotted name of the first String value holding a NUL, or null. */
  static String nulIn(Object value, String name) {
    if (value instanceof String s) {
      return s.indexOf('\u0000') >= 0 ? name : null;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String found =
            nulIn(e.getValue(), name.isEmpty() ? e.getKey() + "" : name + "." + e.getKey());
        if (found != null) return found;
      }
    } else if (value instanceof Iterable<?> items) {
      for (Object item : items) {
        String found = nulIn(item, name);
        if (found != null) return found;
      }
    }
    return null;
  }

  @Override
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(
      ExecutionResult result,
      InstrumentationExecutionParameters parameters,
      InstrumentationState state) {
    List<GraphQLError> errors = result.getErrors();
    if (errors.size() < 2 || errors.stream().noneMatch(ErrorHygiene::isNonNullEcho)) {
      return CompletableFuture.completedFuture(result);
    }
    List<GraphQLError> kept = errors.stream().filter(e -> !(repeatsAnother(e, errors))).toList();
    return CompletableFuture.completedFuture(result.transform(b -> b.errors(kept)));
  }

  private static boolean repeatsAnother(GraphQLError error, List<GraphQLError> all) {
    if (!isNonNullEcho(error) || error.getPath() == null) {
      return false;
    }
    List<Object> path = error.getPath();
    return all.stream()
        .anyMatch(
            other ->
                !isNonNullEcho(other)
                    && other.getPath() != null
                    && other.getPath().size() >= path.size()
                    && other.getPath().subList(0, path.size()).equals(path));
  }

  /** graphql-java's NonNullableFieldWasNullError carries this classification. */
  private static boolean isNonNullEcho(GraphQLError error) {
    return error.getErrorType() == ErrorType.NullValueInNonNullableField;
  }
}
