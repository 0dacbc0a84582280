package io.retain.gateway.execute;

import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.retain.gateway.plan.QueryPlanner;
import io.retain.gateway.plan.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A valid query run without graphql-java's execution: the plan fills the merged data, {@link
 * ResultShaper} completes the response from it (graphql-java's per-field execution was 40% of the
 * gateway's CPU).
 */
final class DirectQuery {

  /** The plan of one operation of a document (cached with the document). */
  interface Plans {
    List<Step> plan(
        EngineDocument doc,
        OperationDefinition op,
        String rootType,
        Map<String, FragmentDefinition> fragments);
  }

  private final GraphQLSchema schema;
  private final PlanExecutor executor;
  private final Plans plans;

  DirectQuery(GraphQLSchema schema, PlanExecutor executor, Plans plans) {
    this.schema = schema;
    this.executor = executor;
    this.plans = plans;
  }

  /**
   * The response, or empty when the request is not this path's: invalid documents or variables,
   * introspection, mutations and subscriptions go through graphql-java, which reports their errors
   * the standard way.
   */
  Optional<CompletableFuture<ExecutionResult>> execute(
      EngineDocument doc,
      @Nullable String operationName,
      Map<String, Object> vars,
      @Nullable String authorization) {
    if (!doc.valid()) return Optional.empty();
    NodeUtil.GetOperationResult found;
    CoercedVariables coerced;
    try {
      found = NodeUtil.getOperation(doc.validated().getDocument(), operationName);
      if (found.operationDefinition.getOperation() != OperationDefinition.Operation.QUERY
          || introspects(found.operationDefinition.getSelectionSet(), found.fragmentsByName)) {
        return Optional.empty();
      }
      coerced =
          ValuesResolver.coerceVariableValues(
              schema,
              found.operationDefinition.getVariableDefinitions(),
              RawVariables.of(vars),
              GraphQLContext.getDefault(),
              Locale.getDefault());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    OperationDefinition op = found.operationDefinition;
    GraphQLObjectType root = schema.getQueryType();
    List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
    List<Step> steps;
    try {
      steps = plans.plan(doc, op, root.getName(), found.fragmentsByName);
    } catch (QueryPlanner.UnsatisfiableException e) {
      return Optional.of(CompletableFuture.completedFuture(unsatisfiable(e)));
    }
    return Optional.of(
        executor
            .execute(steps, op, vars, authorization, errors, false)
            .thenApply(
                data -> {
                  List<GraphQLError> all = new ArrayList<>(errors);
                  Map<String, Object> out =
                      new ResultShaper(schema, found.fragmentsByName, coerced.toMap(), all)
                          .shape(root, op.getSelectionSet(), data);
                  return ExecutionResult.newExecutionResult().data(out).errors(all).build();
                }));
  }

  /** No subgraph call can answer it: a request error, as for an invalid document. */
  private static ExecutionResult unsatisfiable(QueryPlanner.UnsatisfiableException e) {
    GraphQLError error =
        GraphqlErrorBuilder.newError()
            .message(e.getMessage())
            .extensions(
                Map.of(
                    "code",
                    QueryPlanner.UnsatisfiableException.CODE,
                    "field",
                    e.field(),
                    "type",
                    e.type()))
            .build();
    return ExecutionResult.newExecutionResult().data(null).addError(error).build();
  }

  /** Whether {@code __schema} or {@code __type} is asked for at the root. */
  private static boolean introspects(SelectionSet set, Map<String, FragmentDefinition> fragments) {
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f
          && (f.getName().equals("__schema") || f.getName().equals("__type"))) {
        return true;
      }
      SelectionSet inner =
          s instanceof InlineFragment i
              ? i.getSelectionSet()
              : s instanceof FragmentSpread sp && fragments.get(sp.getName()) != null
                  ? fragments.get(sp.getName()).getSelectionSet()
                  : null;
      if (inner != null && introspects(inner, fragments)) return true;
    }
    return false;
  }
}
