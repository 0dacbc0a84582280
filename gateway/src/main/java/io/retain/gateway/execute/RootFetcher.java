package io.retain.gateway.execute;

import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.execution.DataFetcherResult;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLObjectType;
import io.retain.gateway.plan.QueryPlanner;
import io.retain.gateway.plan.Step;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Root fields under graphql-java's execution (mutations, subscriptions, introspection mixed with
 * data, invalid variables): a subscription is opened on its owning subgraph, a mutation's root
 * field planned and run on its own (in order), and a query's root fields share one plan run per
 * request.
 */
final class RootFetcher implements DataFetcher<Object> {

  static final String DATA = "gateway.data";
  static final String ERRORS = "gateway.errors";
  static final String RAW_VARS = "gateway.variables";
  static final String AUTH = "gateway.authorization";
  static final String QUERY = "gateway.query";

  /** The cached plan of a query operation, by document text. */
  interface QueryPlans {
    List<Step> plan(
        String query,
        OperationDefinition op,
        String rootType,
        Map<String, graphql.language.FragmentDefinition> fragments);
  }

  private final Supplier<QueryPlanner> planner;
  private final Supplier<PlanExecutor> executor;
  private final QueryPlans plans;

  /** Planner and executor are looked up lazily: they need the schema this fetcher is wired in. */
  RootFetcher(Supplier<QueryPlanner> planner, Supplier<PlanExecutor> executor, QueryPlans plans) {
    this.planner = planner;
    this.executor = executor;
    this.plans = plans;
  }

  @Override
  public Object get(DataFetchingEnvironment env) {
    GraphQLContext ctx = env.getGraphQlContext();
    OperationDefinition op = env.getOperationDefinition();
    String auth = ctx.get(AUTH);
    Map<String, Object> vars = ctx.get(RAW_VARS);
    List<GraphQLError> errors = ctx.get(ERRORS);
    String rootType = env.getParentType() instanceof GraphQLObjectType o ? o.getName() : "Query";
    String key = env.getField().getResultKey();
    if (op.getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
      // one root field, owned by one subgraph; each event continues through _entities
      List<Step> steps =
          planner.get().plan(rootType, List.of(env.getField()), env.getFragmentsByName());
      return executor
          .get()
          .subscribe(steps.get(0), op, vars, auth)
          .map(
              ev ->
                  DataFetcherResult.newResult()
                      .data(ev.data().get(key))
                      .errors(ev.errors())
                      .build());
    }
    if (op.getOperation() == OperationDefinition.Operation.MUTATION) {
      List<Step> steps =
          planner.get().plan(rootType, List.of(env.getField()), env.getFragmentsByName());
      return executor.get().execute(steps, op, vars, auth, errors, true).thenApply(d -> d.get(key));
    }
    CompletableFuture<Map<String, Object>> data =
        ctx.computeIfAbsent(
            DATA,
            k -> {
              List<Step> steps = plans.plan(ctx.get(QUERY), op, rootType, env.getFragmentsByName());
              return executor.get().execute(steps, op, vars, auth, errors, false);
            });
    return data.thenApply(d -> d.get(key));
  }
}
