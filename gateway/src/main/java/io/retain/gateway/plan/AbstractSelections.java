package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Selections on interfaces and unions re-selected per object type where a graph needs that. */
final class AbstractSelections {

  private final Supergraph supergraph;
  private final SchemaFacts facts;

  AbstractSelections(SchemaFacts facts) {
    this.supergraph = facts.supergraph();
    this.facts = facts;
  }

  /**
   * Fields selected on an interface or union that this graph cannot resolve for every possible type
   * (owned elsewhere, or needing {@code @requires} per type) are re-selected per concrete type
   * ({@code ... on Book {...}}), so each type continues through its own keys and requirements.
   */
  SelectionSet explode(
      SelectionSet ss, String parentType, String graph, @Nullable SelectionSet provided) {
    if (!facts.abstractType(parentType)) return ss;
    if (supergraph.interfaceObject(parentType, graph)) return ss;
    List<String> possible = new ArrayList<>();
    for (String c : facts.concrete(parentType)) {
      if (!c.equals(parentType)
          && supergraph.knows(c, graph)
          && supergraph.memberIn(c, parentType, graph)) possible.add(c);
    }
    Collections.sort(possible);
    List<Selection> direct = new ArrayList<>();
    List<Selection> rest = new ArrayList<>();
    boolean needed = false;
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f && !f.getName().startsWith("__")) {
        direct.add(f);
        if (!facts.local(parentType, f.getName(), graph, provided)
            && !facts.ownedByStandIn(parentType, f.getName())) needed = true;
        for (String c : possible) {
          if (supergraph.owners(c, f.getName()).isEmpty()) continue;
          if (!facts.local(c, f.getName(), graph, provided)
              || facts.requires(c, f.getName(), graph) != null) needed = true;
        }
      } else rest.add(s);
    }
    if (!needed) return ss;
    List<Selection> out = new ArrayList<>(rest);
    for (String c : possible) {
      out.add(
          InlineFragment.newInlineFragment()
              .typeCondition(new TypeName(c))
              .selectionSet(new SelectionSet(direct))
              .build());
    }
    return new SelectionSet(out);
  }

  /**
   * For a fragment on abstract type {@code tc} below {@code parentType}: the object types it can
   * match there, when some of them belong to {@code tc} only in other graphs (this graph would not
   * match them to it); null when the fragment can stay as it is.
   */
  @Nullable List<String> membersElsewhere(String tc, String parentType, String graph) {
    if (tc.equals(parentType) || !facts.abstractType(tc)) return null;
    Set<String> underParent = facts.concrete(parentType);
    List<String> types = new ArrayList<>();
    boolean elsewhere = false;
    for (String t : facts.concrete(tc)) {
      if (!facts.objectType(t) || !underParent.contains(t)) continue;
      if (!supergraph.knows(t, graph)) continue;
      if (facts.abstractType(parentType) && !supergraph.memberIn(t, parentType, graph)) continue;
      types.add(t);
      if (!supergraph.memberIn(t, tc, graph)) elsewhere = true;
    }
    Collections.sort(types);
    return elsewhere ? types : null;
  }

  /**
   * True when a fragment on object type {@code tc} below a union is left out because a graph that
   * could equally resolve the field leading here (shareable, on a type reachable there by a key)
   * lacks {@code tc} as a member: only members common to every such graph are guaranteed, as the
   * audit's {@code partial-union-complex} and Apollo's planner have it. The object still comes back
   * with its {@code __typename}, its fragment's fields null.
   */
  boolean memberNotShared(String tc, PlanContext ctx) {
    String union = ctx.parentType();
    if (!facts.unionType(union) || !facts.objectType(tc) || ctx.enclosing() == null) return false;
    for (String g : candidateGraphs(ctx)) {
      if (supergraph.knows(union, g) && !supergraph.memberIn(tc, union, g)) return true;
    }
    return false;
  }

  /**
   * The graphs that could resolve the field leading to the context's selection: from the top of the
   * fetch (every graph for a root field, else the fetch's graph), each level keeps the owners of
   * its field among the graphs reaching its type, entity types being reachable in every graph with
   * a resolvable key of them.
   */
  private Set<String> candidateGraphs(PlanContext ctx) {
    List<PlanContext.Level> levels = ctx.levels();
    Set<String> reach = new HashSet<>();
    if (ctx.owner().typeName == null) reach.addAll(supergraph.urls().keySet());
    else reach.add(ctx.owner().graph);
    for (int i = levels.size() - 1; i >= 0; i--) {
      PlanContext.Level l = levels.get(i);
      Supergraph.TypeInfo t = supergraph.type(l.type());
      if (t != null) {
        for (Supergraph.Key k : t.keys()) if (k.resolvable()) reach.add(k.graph());
      }
      reach.retainAll(supergraph.owners(l.type(), l.via().getName()));
    }
    return reach;
  }

  /**
   * True when a fragment on {@code tc} below {@code parentType} can never match in {@code graph}:
   * the graph would refuse it.
   */
  boolean neverMatches(String tc, String parentType, String graph) {
    // a fragment on another object type can never match here
    if (!tc.equals(parentType) && facts.objectType(parentType) && facts.objectType(tc)) {
      return true;
    }
    // nor one on an object type that is a member of the parent only in other graphs
    return facts.abstractType(parentType)
        && facts.objectType(tc)
        && !supergraph.memberIn(tc, parentType, graph);
  }
}
