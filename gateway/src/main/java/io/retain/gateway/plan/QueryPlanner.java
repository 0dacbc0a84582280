package io.retain.gateway.plan;

import graphql.language.FragmentDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLSchema;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits an operation's selection into a tree of fetch steps, one per subgraph boundary. Stateless
 * and thread-safe: each call builds its own {@link FetchTree} and returns frozen {@link Step}s.
 */
public final class QueryPlanner {

  private final Supergraph supergraph;
  private final GraphQLSchema schema;
  private final SchemaFacts facts;
  private final RootRouting routing;
  private final EntityKeys keys;
  private final Projection projection;

  /** A selection no graph reachable from where it is asked can resolve: the query is refused. */
  public static final class UnsatisfiableException extends RuntimeException {
    /** The error code clients see in {@code extensions.code}. */
    public static final String CODE = "UNSATISFIABLE_FIELD";

    private final String field;
    private final String type;

    UnsatisfiableException(String message, String field, String type) {
      super(message);
      this.field = field;
      this.type = type;
    }

    /** The field that cannot be resolved where it is asked. */
    public String field() {
      return field;
    }

    /** The entity type it is asked on. */
    public String type() {
      return type;
    }
  }

  /** Creates a planner for one supergraph and its client schema; shared by all requests. */
  public QueryPlanner(Supergraph supergraph, GraphQLSchema schema) {
    this.supergraph = supergraph;
    this.schema = schema;
    this.facts = new SchemaFacts(supergraph, schema);
    this.routing = new RootRouting(facts);
    this.keys = new EntityKeys(facts);
    this.projection = new Projection(facts, keys);
  }

  /** Plans the given root selections; root fields are grouped per owning subgraph. */
  public List<Step> plan(
      String rootType, List<Selection> rootSelections, Map<String, FragmentDefinition> fragments) {
    SelectionSet expanded = FragmentInliner.expand(new SelectionSet(rootSelections), fragments);
    FetchTree tree = new FetchTree(facts, keys);
    List<StepBuilder> roots = new ArrayList<>();
    routing
        .byGraph(rootType, expanded)
        .forEach(
            (g, sels) -> {
              StepBuilder root = StepBuilder.root(g);
              root.selection =
                  projection.project(new SelectionSet(sels), PlanContext.top(tree, root, rootType));
              roots.add(root);
            });
    for (StepBuilder b = tree.nextPending(); b != null; b = tree.nextPending()) {
      b.selection =
          projection.project(new SelectionSet(b.raw), PlanContext.top(tree, b, b.typeName));
    }
    for (StepBuilder root : roots) separateResponseKeys(root, rootType);
    return roots.stream().map(StepBuilder::build).toList();
  }

  private void separateResponseKeys(StepBuilder step, String type) {
    ResponseKeys responseKeys = new ResponseKeys(supergraph, schema, step.graph);
    SelectionSet separated = responseKeys.separate(step.selection, type);
    if (responseKeys.aliased()) {
      step.selection = separated;
      step.aliased = true;
    }
    for (StepBuilder c : step.children) separateResponseKeys(c, c.typeName);
  }
}
