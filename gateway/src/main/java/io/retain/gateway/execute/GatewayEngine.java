package io.retain.gateway.execute;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.introspection.Introspection;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLUnionType;
import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.document.ParsedDocument;
import io.retain.gateway.plan.QueryPlanner;
import io.retain.gateway.plan.Step;
import io.retain.gateway.supergraph.Supergraph;
import java.util.*;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client-facing schema over a supergraph, executing operations through fetch plans: valid
 * queries through {@link DirectQuery}, everything else through graphql-java with {@link
 * RootFetcher} at the root. Parsed and validated documents and their plans live in the shared
 * {@link DocumentCache}.
 */
public final class GatewayEngine {

  private final Supergraph supergraph;
  private final DocumentCache documents;
  private final ParserOptions parserOptions;
  private final GraphQLSchema schema;
  private final GraphQL graphql;
  private final QueryPlanner planner;
  private final PlanExecutor executor;
  private final DirectQuery direct;

  public GatewayEngine(
      Supergraph supergraph, Function<String, SubgraphClient> clients, DocumentCache documents) {
    this(supergraph, clients, documents, 0);
  }

  /**
   * @param entityBatchInFlight cross-request {@code _entities} batching: calls in flight per lane
   *     ({@link EntityBatcher}); 0 sends each request's calls alone
   */
  public GatewayEngine(
      Supergraph supergraph,
      Function<String, SubgraphClient> clients,
      DocumentCache documents,
      int entityBatchInFlight) {
    this.supergraph = supergraph;
    this.documents = documents;
    this.parserOptions = documents.limits().options();
    RootFetcher root = new RootFetcher(this::planner, this::executor, this::plan);
    this.schema = ClientSchemaFactory.build(supergraph.clientSchema(), root);
    this.planner = new QueryPlanner(supergraph, schema);
    Set<String> abstractTypes = new HashSet<>();
    for (GraphQLNamedType t : schema.getAllTypesAsList()) {
      if (t instanceof GraphQLInterfaceType || t instanceof GraphQLUnionType) {
        abstractTypes.add(t.getName());
      }
    }
    this.executor = new PlanExecutor(clients, abstractTypes, entityBatchInFlight);
    this.direct = new DirectQuery(schema, executor, this::plan);
    this.graphql = GraphQL.newGraphQL(schema).preparsedDocumentProvider(this::document).build();
  }

  private QueryPlanner planner() {
    return planner;
  }

  private PlanExecutor executor() {
    return executor;
  }

  public GraphQLSchema schema() {
    return schema;
  }

  public Supergraph supergraph() {
    return supergraph;
  }

  /** Executes one client request; {@code authorization} is forwarded to subgraphs. */
  public CompletableFuture<ExecutionResult> execute(
      String query,
      @Nullable String operationName,
      @Nullable Map<String, Object> variables,
      @Nullable String authorization) {
    return execute(query, operationName, variables, authorization, true);
  }

  /**
   * As above; with {@code introspection} false, {@code __schema} and {@code __type} are answered
   * with an IntrospectionDisabled error ({@code __typename} still works).
   */
  public CompletableFuture<ExecutionResult> execute(
      String query,
      @Nullable String operationName,
      @Nullable Map<String, Object> variables,
      @Nullable String authorization,
      boolean introspection) {
    Map<String, Object> vars = variables == null ? Map.of() : variables;
    // first sight: parsed and validated here, so the first answer is completed like the next
    // ones (graphql-java's execution cannot type a value whose interface has no object type)
    Optional<CompletableFuture<ExecutionResult>> answered =
        direct.execute(entry(query, Locale.getDefault()), operationName, vars, authorization);
    if (answered.isPresent()) return answered.get();
    List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
    Map<Object, Object> ctx = new HashMap<>();
    ctx.put(RootFetcher.ERRORS, errors);
    ctx.put(RootFetcher.RAW_VARS, vars);
    ctx.put(RootFetcher.QUERY, query);
    ctx.put(ParserOptions.class, parserOptions);
    if (authorization != null) ctx.put(RootFetcher.AUTH, authorization);
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
   * Executes a request that may be a subscription: a subscription gives one response map per event;
   * a query or mutation (graphql-ws allows them) or a request error gives one.
   */
  public Flux<Map<String, Object>> stream(
      String query,
      @Nullable String operationName,
      @Nullable Map<String, Object> variables,
      @Nullable String authorization,
      boolean introspection) {
    return Mono.fromFuture(
            () -> execute(query, operationName, variables, authorization, introspection))
        .flatMapMany(
            r ->
                r.getData() instanceof org.reactivestreams.Publisher<?> events
                    ? Flux.from(events).map(e -> ((ExecutionResult) e).toSpecification())
                    : Flux.just(r.toSpecification()));
  }

  /**
   * The plan this engine made for an operation of a document it has executed, as JSON for {@code
   * extensions.queryPlan}; empty when there is none (a request error, introspection only).
   */
  public Optional<Map<String, Object>> explain(String query, @Nullable String operationName) {
    ParsedDocument parsed = documents.get(query);
    if (parsed.document() == null) return Optional.empty();
    for (OperationDefinition op :
        parsed.document().getDefinitionsOfType(OperationDefinition.class)) {
      if (operationName == null || operationName.equals(op.getName())) {
        List<Step> steps =
            entry(query, Locale.getDefault()).plans().get(String.valueOf(op.getName()));
        return Optional.ofNullable(steps).map(s -> QueryPlanView.of(supergraph, op.getName(), s));
      }
    }
    return Optional.empty();
  }

  /** This engine's validation and plans of a document, cached with its parsed tree. */
  private EngineDocument entry(String query, Locale locale) {
    ParsedDocument parsed = documents.get(query);
    return parsed.derived(
        this, EngineDocument.class, () -> EngineDocument.of(schema, parsed, locale));
  }

  /** The plan of an operation, made once per document and operation name. */
  private List<Step> plan(
      EngineDocument doc,
      OperationDefinition op,
      String rootType,
      Map<String, FragmentDefinition> fragments) {
    return doc.plans()
        .computeIfAbsent(
            String.valueOf(op.getName()),
            c -> planner.plan(rootType, op.getSelectionSet().getSelections(), fragments));
  }

  private List<Step> plan(
      String query,
      OperationDefinition op,
      String rootType,
      Map<String, FragmentDefinition> fragments) {
    return plan(entry(query, Locale.getDefault()), op, rootType, fragments);
  }

  /**
   * graphql-java's documents come from the same cache; a text that did not parse is parsed by
   * graphql-java (under the same parser limits) so it reports the syntax error its standard way.
   */
  private CompletableFuture<PreparsedDocumentEntry> document(
      ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parse) {
    PreparsedDocumentEntry validated = entry(input.getQuery(), input.getLocale()).validated();
    return CompletableFuture.completedFuture(validated != null ? validated : parse.apply(input));
  }
}
