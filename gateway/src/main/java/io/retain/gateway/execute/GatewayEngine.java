package io.retain.gateway.execute;

import graphql.*;
import graphql.execution.CoercedVariables;
import graphql.execution.DataFetcherResult;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.introspection.Introspection;
import graphql.language.*;
import graphql.schema.*;
import graphql.schema.idl.*;
import io.retain.gateway.plan.QueryPlanner;
import io.retain.gateway.plan.Step;
import io.retain.gateway.supergraph.Supergraph;
import java.util.*;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The client-facing schema over a supergraph, executing operations through fetch plans. */
public final class GatewayEngine {

  private static final String DATA = "gateway.data";
  private static final String ERRORS = "gateway.errors";
  private static final String RAW_VARS = "gateway.variables";
  private static final String AUTH = "gateway.authorization";
  private static final String QUERY = "gateway.query";

  private final Supergraph supergraph;
  private final GraphQLSchema schema;
  private final GraphQL graphql;
  private final QueryPlanner planner;
  private final PlanExecutor executor;
  private final Map<String, List<Step>> plans = new ConcurrentHashMap<>();
  private final Map<String, graphql.execution.preparsed.PreparsedDocumentEntry> documents =
      new ConcurrentHashMap<>();

  public GatewayEngine(Supergraph supergraph, Function<String, SubgraphClient> clients) {
    this.supergraph = supergraph;
    this.schema = buildSchema(supergraph.clientSchema());
    this.planner = new QueryPlanner(supergraph, schema);
    Set<String> abstractTypes = new HashSet<>();
    for (GraphQLNamedType t : schema.getAllTypesAsList()) {
      if (t instanceof GraphQLInterfaceType || t instanceof GraphQLUnionType) {
        abstractTypes.add(t.getName());
      }
    }
    this.executor = new PlanExecutor(clients, abstractTypes);
    this.graphql = GraphQL.newGraphQL(schema).preparsedDocumentProvider(this::document).build();
  }

  public GraphQLSchema schema() {
    return schema;
  }

  public Supergraph supergraph() {
    return supergraph;
  }

  /** Executes one client request; {@code authorization} is forwarded to subgraphs. */
  public CompletableFuture<ExecutionResult> execute(
      String query, String operationName, Map<String, Object> variables, String authorization) {
    return execute(query, operationName, variables, authorization, true);
  }

  /**
   * As above; with {@code introspection} false, {@code __schema} and {@code __type} are answered
   * with an IntrospectionDisabled error ({@code __typename} still works).
   */
  public CompletableFuture<ExecutionResult> execute(
      String query,
      String operationName,
      Map<String, Object> variables,
      String authorization,
      boolean introspection) {
    Map<String, Object> vars = variables == null ? Map.of() : variables;
    CompletableFuture<ExecutionResult> direct = query(query, operationName, vars, authorization);
    if (direct != null) return direct;
    List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
    Map<Object, Object> ctx = new HashMap<>();
    ctx.put(ERRORS, errors);
    ctx.put(RAW_VARS, vars);
    ctx.put(QUERY, query);
    if (authorization != null) ctx.put(AUTH, authorization);
    if (!introspection) ctx.put(Introspection.INTROSPECTION_DISABLED, true);
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(query)
            .operationName(operationName)
            .variables(vars)
            .graphQLContext(ctx)
            .root(new Object())
            .build();
    return graphql
        .executeAsync(input)
        .thenApply(
            r -> {
              if (errors.isEmpty()) return r;
              List<GraphQLError> all = new ArrayList<>(errors);
              all.addAll(r.getErrors());
              return r.transform(b -> b.errors(all));
            });
  }

  /**
   * A valid query runs without graphql-java's execution: the plan fills the merged data, {@link
   * ResultShaper} completes the response from it. Null when the request needs graphql-java (invalid
   * documents or variables, introspection, mutations, subscriptions): it reports those errors the
   * standard way.
   */
  private CompletableFuture<ExecutionResult> query(
      String query, String operationName, Map<String, Object> vars, String authorization) {
    var doc = documents.get(query);
    if (doc == null) {
      // first sight: parsed and validated here, so the first answer is completed like the next
      // ones (graphql-java's execution cannot type a value whose interface has no object type)
      ParseAndValidateResult parsed =
          ParseAndValidate.parseAndValidate(
              schema, ExecutionInput.newExecutionInput().query(query).build());
      if (parsed.isFailure()) return null; // graphql-java reports it
      if (documents.size() > 2000) documents.clear();
      doc =
          documents.computeIfAbsent(
              query,
              q -> new graphql.execution.preparsed.PreparsedDocumentEntry(parsed.getDocument()));
    }
    if (doc.hasErrors()) return null;
    NodeUtil.GetOperationResult found;
    CoercedVariables coerced;
    try {
      found = NodeUtil.getOperation(doc.getDocument(), operationName);
      if (found.operationDefinition.getOperation() != OperationDefinition.Operation.QUERY
          || introspects(found.operationDefinition.getSelectionSet(), found.fragmentsByName)) {
        return null;
      }
      coerced =
          ValuesResolver.coerceVariableValues(
              schema,
              found.operationDefinition.getVariableDefinitions(),
              RawVariables.of(vars),
              GraphQLContext.getDefault(),
              Locale.getDefault());
    } catch (RuntimeException e) {
      return null;
    }
    OperationDefinition op = found.operationDefinition;
    GraphQLObjectType root = schema.getQueryType();
    List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
    List<Step> steps;
    try {
      steps = plan(query, op, root.getName(), found.fragmentsByName);
    } catch (QueryPlanner.UnsatisfiableException e) {
      // no subgraph call can answer it: a request error, as for an invalid document
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
      return CompletableFuture.completedFuture(
          ExecutionResult.newExecutionResult().data(null).addError(error).build());
    }
    return executor
        .execute(steps, op, vars, authorization, errors, false)
        .thenApply(
            data -> {
              List<GraphQLError> all = new ArrayList<>(errors);
              Map<String, Object> out =
                  new ResultShaper(schema, found.fragmentsByName, coerced.toMap(), all)
                      .shape(root, op.getSelectionSet(), data);
              return ExecutionResult.newExecutionResult().data(out).errors(all).build();
            });
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

  /** The plan of an operation, made once per document and operation. */
  private List<Step> plan(
      String query,
      OperationDefinition op,
      String rootType,
      Map<String, FragmentDefinition> fragments) {
    if (plans.size() > 2000) plans.clear();
    return plans.computeIfAbsent(
        query + "\u0000" + op.getName(),
        c -> planner.plan(rootType, op.getSelectionSet().getSelections(), fragments));
  }

  /**
   * Parsed and validated documents by text, like the plans: a front end sends the same few
   * operations over and over, and parsing plus validation is most of the gateway's own work.
   */
  private CompletableFuture<graphql.execution.preparsed.PreparsedDocumentEntry> document(
      ExecutionInput input,
      Function<ExecutionInput, graphql.execution.preparsed.PreparsedDocumentEntry> parse) {
    if (documents.size() > 2000) documents.clear();
    return CompletableFuture.completedFuture(
        documents.computeIfAbsent(input.getQuery(), q -> parse.apply(input)));
  }

  /**
   * Executes a request that may be a subscription: a subscription gives one response map per event;
   * a query or mutation (graphql-ws allows them) or a request error gives one.
   */
  public reactor.core.publisher.Flux<Map<String, Object>> stream(
      String query,
      String operationName,
      Map<String, Object> variables,
      String authorization,
      boolean introspection) {
    return reactor.core.publisher.Mono.fromFuture(
            () -> execute(query, operationName, variables, authorization, introspection))
        .flatMapMany(
            r ->
                r.getData() instanceof org.reactivestreams.Publisher<?> events
                    ? reactor.core.publisher.Flux.from(events)
                        .map(e -> ((ExecutionResult) e).toSpecification())
                    : reactor.core.publisher.Flux.just(r.toSpecification()));
  }

  private Object fetchRoot(DataFetchingEnvironment env) {
    GraphQLContext ctx = env.getGraphQlContext();
    OperationDefinition op = env.getOperationDefinition();
    String auth = ctx.get(AUTH);
    Map<String, Object> vars = ctx.get(RAW_VARS);
    List<GraphQLError> errors = ctx.get(ERRORS);
    String rootType = env.getParentType() instanceof GraphQLObjectType o ? o.getName() : "Query";
    String key = env.getField().getResultKey();
    if (op.getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
      // one root field, owned by one subgraph; each event continues through _entities
      List<Step> steps = planner.plan(rootType, List.of(env.getField()), env.getFragmentsByName());
      return executor
          .subscribe(steps.get(0), op, vars, auth)
          .map(
              ev ->
                  DataFetcherResult.newResult()
                      .data(ev.data().get(key))
                      .errors(ev.errors())
                      .build());
    }
    if (op.getOperation() == OperationDefinition.Operation.MUTATION) {
      List<Step> steps = planner.plan(rootType, List.of(env.getField()), env.getFragmentsByName());
      return executor.execute(steps, op, vars, auth, errors, true).thenApply(d -> d.get(key));
    }
    CompletableFuture<Map<String, Object>> data =
        ctx.computeIfAbsent(
            DATA,
            k -> {
              List<Step> steps = plan(ctx.get(QUERY), op, rootType, env.getFragmentsByName());
              return executor.execute(steps, op, vars, auth, errors, false);
            });
    return data.thenApply(d -> d.get(key));
  }

  private GraphQLSchema buildSchema(Document doc) {
    TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(doc);
    RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
    Set<String> builtIn = Set.of("String", "Int", "Float", "Boolean", "ID");
    for (ScalarTypeDefinition s : registry.scalars().values()) {
      if (!builtIn.contains(s.getName())) wiring.scalar(passThrough(s.getName()));
    }
    DataFetcher<Object> byKey =
        env -> {
          Object src = env.getSource();
          if (src instanceof Map<?, ?> m) return m.get(env.getField().getResultKey());
          return fetchRoot(env);
        };
    TypeResolver byTypename =
        env -> {
          Object o = env.getObject();
          if (o instanceof Map<?, ?> m
              && m.get("__typename") instanceof String t
              && env.getSchema().getType(t) instanceof GraphQLObjectType type) {
            return type;
          }
          return null; // e.g. an @interfaceObject's interface name: an error, not an exception
        };
    wiring.wiringFactory(
        new WiringFactory() {
          @Override
          public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
            return true;
          }

          @Override
          public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
            return byTypename;
          }

          @Override
          public boolean providesTypeResolver(UnionWiringEnvironment environment) {
            return true;
          }

          @Override
          public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
            return byTypename;
          }

          @Override
          public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            return byKey;
          }
        });
    return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
  }

  private static GraphQLScalarType passThrough(String name) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(
            new Coercing<Object, Object>() {
              @Override
              public Object serialize(Object v, GraphQLContext c, Locale l) {
                return v;
              }

              @Override
              public Object parseValue(Object v, GraphQLContext c, Locale l) {
                return v;
              }

              @Override
              public Object parseLiteral(
                  Value<?> v, graphql.execution.CoercedVariables vars, GraphQLContext c, Locale l) {
                return literal(v, vars.toMap());
              }
            })
        .build();
  }

  static Object literal(Value<?> v, Map<String, Object> vars) {
    if (v instanceof StringValue s) return s.getValue();
    if (v instanceof IntValue i) return i.getValue();
    if (v instanceof FloatValue f) return f.getValue();
    if (v instanceof BooleanValue b) return b.isValue();
    if (v instanceof EnumValue e) return e.getName();
    if (v instanceof VariableReference r) return vars.get(r.getName());
    if (v instanceof ArrayValue a)
      return a.getValues().stream().map(x -> literal(x, vars)).toList();
    if (v instanceof ObjectValue o) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (ObjectField f : o.getObjectFields()) m.put(f.getName(), literal(f.getValue(), vars));
      return m;
    }
    return null;
  }
}
