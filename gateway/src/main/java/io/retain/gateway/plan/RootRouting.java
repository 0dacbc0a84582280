package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLTypeUtil;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Which graph answers each root field: the owner, or of shared roots the one covering most. */
final class RootRouting {

  private final Supergraph supergraph;
  private final SchemaFacts facts;

  RootRouting(SchemaFacts facts) {
    this.supergraph = facts.supergraph();
    this.facts = facts;
  }

  /** The root selections grouped per graph that answers them, in first-seen order. */
  Map<String, List<Selection>> byGraph(String rootType, SelectionSet expanded) {
    Map<String, List<Selection>> byGraph = new LinkedHashMap<>();
    for (Selection<?> s : expanded.getSelections()) {
      if (s instanceof Field f) {
        if (f.getName().startsWith("__")) continue;
        String g = bestOwner(rootType, f);
        splitSharedRoot(rootType, f, g)
            .forEach(
                (graph, part) -> byGraph.computeIfAbsent(graph, k -> new ArrayList<>()).add(part));
      } else if (s instanceof InlineFragment i) {
        for (Selection<?> inner : i.getSelectionSet().getSelections()) {
          if (inner instanceof Field f && !f.getName().startsWith("__")) {
            String g = bestOwner(rootType, f);
            byGraph
                .computeIfAbsent(g, k -> new ArrayList<>())
                .add(i.transform(b -> b.selectionSet(new SelectionSet(List.of(f)))));
          }
        }
      }
    }
    return byGraph;
  }

  /**
   * Of the graphs that can resolve a root field (shared roots), the one that resolves most of its
   * selection itself, counting what it {@code @provides}; the first on a tie.
   */
  private String bestOwner(String rootType, Field f) {
    List<String> owners = supergraph.owners(rootType, f.getName());
    String best = owners.get(0);
    if (owners.size() == 1) return best;
    int bestScore = -1;
    for (String g : owners) {
      Supergraph.FieldInfo info = supergraph.type(rootType).fields().get(f.getName());
      String prov = info == null ? null : info.provides().get(g);
      int score = coverage(f, rootType, g, prov == null ? null : FieldSets.parse(prov));
      if (score > bestScore) {
        bestScore = score;
        best = g;
      }
    }
    return best;
  }

  /**
   * A shared root field whose type has no key anywhere cannot continue through {@code _entities}:
   * the fields its best graph does not resolve are asked of the other graphs sharing the root
   * field, each calling it with its part of the selection. Otherwise the field goes to {@code best}
   * whole.
   */
  private Map<String, Field> splitSharedRoot(String rootType, Field f, String best) {
    Map<String, Field> parts = new LinkedHashMap<>();
    List<String> owners = supergraph.owners(rootType, f.getName());
    Supergraph.FieldInfo info = supergraph.type(rootType).fields().get(f.getName());
    Supergraph.TypeInfo child = info == null ? null : supergraph.type(info.typeName());
    if (owners.size() < 2
        || f.getSelectionSet() == null
        || child == null
        || child.keys().stream().anyMatch(Supergraph.Key::resolvable)) {
      parts.put(best, f);
      return parts;
    }
    Map<String, List<Selection>> byGraph = new LinkedHashMap<>();
    byGraph.put(best, new ArrayList<>());
    for (Selection<?> s : f.getSelectionSet().getSelections()) {
      String g = best;
      if (s instanceof Field c && !supergraph.resolvable(child.name(), c.getName(), best)) {
        g =
            owners.stream()
                .filter(o -> supergraph.resolvable(child.name(), c.getName(), o))
                .findFirst()
                .orElse(best);
      }
      byGraph.computeIfAbsent(g, k -> new ArrayList<>()).add(s);
    }
    byGraph.forEach(
        (g, sels) -> {
          if (!sels.isEmpty())
            parts.put(g, f.transform(b -> b.selectionSet(new SelectionSet(sels))));
        });
    return parts;
  }

  /** How many fields below {@code f} the graph resolves without leaving it. */
  private int coverage(Field f, String parentType, String graph, @Nullable SelectionSet provided) {
    if (f.getSelectionSet() == null) return 0;
    GraphQLFieldDefinition def = facts.definition(parentType, f.getName());
    if (def == null) return 0;
    String childType = GraphQLTypeUtil.unwrapAll(def.getType()).getName();
    return coverageOf(f.getSelectionSet(), childType, graph, provided);
  }

  private int coverageOf(
      SelectionSet ss, String type, String graph, @Nullable SelectionSet provided) {
    int n = 0;
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field c && !c.getName().startsWith("__")) {
        if (!facts.local(type, c.getName(), graph, provided)) continue;
        Field pf = FieldSets.provided(provided, type, c.getName());
        n += 1 + coverage(c, type, graph, pf == null ? null : pf.getSelectionSet());
      } else if (s instanceof InlineFragment i) {
        String tc = i.getTypeCondition() == null ? type : i.getTypeCondition().getName();
        n += coverageOf(i.getSelectionSet(), tc, graph, provided);
      }
    }
    return n;
  }
}
