package io.retain.gateway.execute;

import io.retain.gateway.plan.Step;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A plan as JSON for {@code extensions.queryPlan}: each fetch with its subgraph (as configured),
 * the entity type and path of an {@code _entities} fetch, the selection sent, whether it waits for
 * its siblings, and the fetches that continue from its objects. The shape front-end teams need to
 * see what a query costs, not the executor's internals.
 */
final class QueryPlanView {
  private QueryPlanView() {}

  static Map<String, Object> of(
      Supergraph supergraph, @Nullable String operation, List<Step> roots) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("operation", operation);
    plan.put("fetchCount", count(roots));
    plan.put("fetches", fetches(supergraph, roots));
    return plan;
  }

  private static List<Map<String, Object>> fetches(Supergraph supergraph, List<Step> steps) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Step s : steps) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("subgraph", supergraph.graphName(s.graph()));
      if (s.typeName() != null) {
        f.put("entity", s.typeName());
        f.put("path", s.path());
      }
      f.put("selection", s.printedSelection());
      if (s.afterSiblings()) f.put("afterSiblings", true);
      if (!s.children().isEmpty()) f.put("then", fetches(supergraph, s.children()));
      out.add(f);
    }
    return out;
  }

  private static int count(List<Step> steps) {
    int n = 0;
    for (Step s : steps) n += 1 + count(s.children());
    return n;
  }
}
