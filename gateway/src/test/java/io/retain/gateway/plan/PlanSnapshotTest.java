package io.retain.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.retain.gateway.execute.GatewayEngine;
import io.retain.gateway.supergraph.Supergraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The planner's whole output (every step's graph, type, path, representation, flags and selection)
 * for the operations the gateway tests send, compared with {@code plan-snapshots.txt}: the
 * planner's structure may change, its plans may not. Regenerate with {@code
 * -Dplan.snapshot.write=true} only for an intended planning change.
 */
class PlanSnapshotTest {

  static final Map<String, List<String>> OPERATIONS = new LinkedHashMap<>();

  static {
    OPERATIONS.put(
        "chain.graphql",
        List.of(
            "{ product { upc label } }",
            "{ product { verdict } }",
            "{ stats { count rating } }",
            "{ product { upc maker { name country } } }",
            "{ product { upc id label } }",
            "{ shelf { products { upc name } } }",
            "{ top { upc id } }",
            "{ pick { ... on Product { upc } ... on Shelf { products { upc } } } }"));
    OPERATIONS.put(
        "catalog.graphql",
        List.of(
            "{ products { id sku delivery } }",
            "query ($d: Boolean = true) { products { id ... on Book @include(if: $d) { delivery }"
                + " } }",
            "{ accounts { __typename id credit ... on Admin { level } } }",
            "{ standIns { __typename id credit ... on Admin { level } } }"));
    OPERATIONS.put(
        "keys.graphql",
        List.of("{ customer(id: \"c1\") { id name segment { details id label } } }"));
    OPERATIONS.put(
        "nodes.graphql",
        List.of(
            "{ b { id field } }",
            "{ a { field } }",
            "{ node(id: \"a1\") { id } }",
            "{ node(id: \"c1\") { ... on Chat { id text } } }"));
    OPERATIONS.put(
        "conflicts.graphql",
        List.of(
            "{ accounts { ... on User { id name } ... on Admin { id name } } }",
            "{ appliances { ... on Node { id } } "
                + "nodes { ... on Toaster { warranty } ... on Oven { id } } }",
            "{ item { similar { __typename } ... on Book { similar { id } } } }",
            "{ products { upc price(currency: \"GBP\") shippingUsd shippingEur } }",
            "{ products { blurb } }",
            "{ products { topStars reviews(limit: 1) { id } } }"));
    OPERATIONS.put(
        "products.graphql",
        List.of(
            "{ products { upc shippingEstimate inStock } }",
            "query Q { products { ...P } } fragment P on Product { id sku weight kind }"));
  }

  @Test
  void plansStayAsSnapshotted() throws Exception {
    String actual = render();
    Path file = Path.of("src/test/resources/plan-snapshots.txt");
    if (Boolean.getBoolean("plan.snapshot.write")) Files.writeString(file, actual);
    assertThat(actual).isEqualTo(Files.readString(file));
  }

  @Test
  void oneSharedPlannerGivesTheSamePlansFromManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Map.Entry<String, List<String>> e : OPERATIONS.entrySet()) {
        Supergraph sg =
            Supergraph.parse(
                Files.readString(Path.of("src/test/resources/supergraph/" + e.getKey())));
        GatewayEngine engine = new GatewayEngine(sg, g -> null);
        String rootType = engine.schema().getQueryType().getName();
        QueryPlanner shared = new QueryPlanner(sg, engine.schema());
        Map<String, String> expected = new LinkedHashMap<>();
        for (String q : e.getValue()) expected.put(q, plan(shared, q, rootType));
        List<Future<String[]>> runs = new ArrayList<>();
        for (int round = 0; round < 25; round++) {
          for (String q : e.getValue()) {
            runs.add(pool.submit(() -> new String[] {q, plan(shared, q, rootType)}));
          }
        }
        for (Future<String[]> run : runs) {
          String[] got = run.get(60, TimeUnit.SECONDS);
          assertThat(got[1]).as("%s: %s", e.getKey(), got[0]).isEqualTo(expected.get(got[0]));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void plansAreFrozenOnceBuilt() throws Exception {
    Supergraph sg =
        Supergraph.parse(Files.readString(Path.of("src/test/resources/supergraph/chain.graphql")));
    GatewayEngine engine = new GatewayEngine(sg, g -> null);
    QueryPlanner planner = new QueryPlanner(sg, engine.schema());
    OperationDefinition op =
        (OperationDefinition) Parser.parse("{ product { verdict } }").getDefinitions().get(0);
    List<Step> steps =
        planner.plan(
            engine.schema().getQueryType().getName(),
            op.getSelectionSet().getSelections(),
            Map.of());
    Step root = steps.get(0);
    Step entities = root.children().get(0);
    assertThat(entities.graph()).isEqualTo("B");
    assertThat(entities.path()).containsExactly("product");
    assertThatThrownBy(() -> steps.add(root)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> root.children().add(entities))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> entities.path().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> entities.concreteTypes().add("Shelf"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(root.children()).hasSize(1);
  }

  static String render() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : OPERATIONS.entrySet()) {
      Supergraph sg =
          Supergraph.parse(
              Files.readString(Path.of("src/test/resources/supergraph/" + e.getKey())));
      GatewayEngine engine = new GatewayEngine(sg, g -> null);
      QueryPlanner planner = new QueryPlanner(sg, engine.schema());
      for (String q : e.getValue()) {
        sb.append("## ").append(e.getKey()).append(": ").append(q).append('\n');
        sb.append(plan(planner, q, engine.schema().getQueryType().getName()));
      }
    }
    return sb.toString();
  }

  static String plan(QueryPlanner planner, String query, String rootType) {
    Document doc = Parser.parse(query);
    OperationDefinition op = null;
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    for (var d : doc.getDefinitions()) {
      if (d instanceof OperationDefinition o) op = o;
      if (d instanceof FragmentDefinition f) fragments.put(f.getName(), f);
    }
    StringBuilder sb = new StringBuilder();
    try {
      for (Step s : planner.plan(rootType, op.getSelectionSet().getSelections(), fragments)) {
        render(s, 0, sb);
      }
    } catch (QueryPlanner.UnsatisfiableException x) {
      sb.append("unsatisfiable ")
          .append(x.field())
          .append(" on ")
          .append(x.type())
          .append(": ")
          .append(x.getMessage())
          .append('\n');
    }
    return sb.toString();
  }

  static void render(Step s, int depth, StringBuilder sb) {
    String pad = "  ".repeat(depth);
    sb.append(pad)
        .append(s.graph())
        .append(" type=")
        .append(s.typeName())
        .append(" path=")
        .append(s.path())
        .append(" concrete=")
        .append(new TreeSet<>(s.concreteTypes()))
        .append(" repTypename=")
        .append(s.representationTypename())
        .append(" after=")
        .append(s.afterSiblings())
        .append(" aliased=")
        .append(s.aliased())
        .append('\n');
    if (s.representation() != null) {
      sb.append(pad).append("  rep: ").append(AstPrinter.printAstCompact(s.representation()));
      sb.append('\n');
    }
    sb.append(pad).append("  sel: ").append(s.printedSelection()).append('\n');
    List<Step> children = new ArrayList<>(s.children());
    for (Step c : children) render(c, depth + 1, sb);
  }
}
