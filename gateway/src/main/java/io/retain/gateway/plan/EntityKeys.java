package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.retain.gateway.supergraph.Supergraph;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Which key an entity fetch is entered by, and whether the data at hand can fill it. */
final class EntityKeys {

  private final Supergraph supergraph;
  private final SchemaFacts facts;

  EntityKeys(SchemaFacts facts) {
    this.supergraph = facts.supergraph();
    this.facts = facts;
  }

  /**
   * The key of {@code type} in {@code target} that {@code from} can fill, else its first resolvable
   * key (null without one).
   */
  Supergraph.@Nullable Key keyFor(String type, String target, String from) {
    Supergraph.TypeInfo t = supergraph.type(type);
    if (t == null) return null;
    for (Supergraph.Key k : t.keys()) {
      if (k.graph().equals(target)
          && k.resolvable()
          && facts.allResolvableDeep(FieldSets.parse(k.fields()), type, from, null)) return k;
    }
    return supergraph.key(type, target);
  }

  /**
   * When no key of {@code type} in {@code target} can be filled from {@code graph}: another graph
   * reachable by a key {@code graph} can fill that resolves one of the target's keys, else null.
   */
  @Nullable String keyHop(String type, String target, String graph) {
    Supergraph.Key tk = keyFor(type, target, graph);
    if (tk == null || facts.allResolvableDeep(FieldSets.parse(tk.fields()), type, graph, null))
      return null;
    Supergraph.TypeInfo t = supergraph.type(type);
    for (Supergraph.Key k : t.keys()) {
      String h = k.graph();
      if (h.equals(graph) || h.equals(target) || !k.resolvable()) continue;
      if (!facts.allResolvableDeep(FieldSets.parse(k.fields()), type, graph, null)) continue;
      Supergraph.Key via = keyFor(type, target, h);
      if (via != null && facts.allResolvableDeep(FieldSets.parse(via.fields()), type, h, null))
        return h;
    }
    return null;
  }

  /**
   * True when {@code target} has a resolvable key of {@code type} whose fields {@code graph}
   * resolves ({@code @external} ones it does not): else no representation can be sent there.
   */
  boolean keyFillable(String type, String target, String graph, @Nullable SelectionSet provided) {
    Supergraph.Key k = keyFor(type, target, graph);
    return k != null && facts.allResolvableDeep(FieldSets.parse(k.fields()), type, graph, provided);
  }

  /**
   * {@code preferred}, unless this graph cannot fill its key and another owner of {@code
   * type.field}, needing no {@code @requires}, has a key it fills: then that owner (the first in
   * declaration order is no better than any other, and only a filled key spares a gathering).
   */
  String reachableOwner(String type, String field, String graph, String preferred) {
    if (preferred.equals(graph) || keyFillable(type, preferred, graph, null)) return preferred;
    for (String o : supergraph.owners(type, field)) {
      if (!o.equals(graph)
          && facts.requires(type, field, o) == null
          && keyFillable(type, o, graph, null)) return o;
    }
    return preferred;
  }

  /**
   * A resolvable key of {@code type} in {@code target} whose fields can all be gathered where
   * {@code graph} holds the object: each resolved by {@code graph} itself or fetched (at any depth)
   * from an owner reachable by a key that can in turn be filled or gathered; null without one. A
   * search over keys, never entering the same type and graph twice on one path.
   */
  Supergraph.@Nullable Key gatherableKey(
      String type, String target, String graph, @Nullable SelectionSet provided) {
    return gatherableKey(type, target, graph, provided, new HashSet<>());
  }

  private Supergraph.@Nullable Key gatherableKey(
      String type,
      String target,
      String graph,
      @Nullable SelectionSet provided,
      Set<String> visiting) {
    Supergraph.TypeInfo t = supergraph.type(type);
    String entered = type + "|" + target;
    if (t == null || !visiting.add(entered)) return null;
    try {
      for (Supergraph.Key k : t.keys()) {
        if (k.graph().equals(target)
            && k.resolvable()
            && gatherable(FieldSets.parse(k.fields()), type, graph, provided, visiting)) return k;
      }
      return null;
    } finally {
      visiting.remove(entered);
    }
  }

  private boolean gatherable(
      SelectionSet fs,
      String type,
      String graph,
      @Nullable SelectionSet provided,
      Set<String> visiting) {
    for (Selection<?> s : fs.getSelections()) {
      if (s instanceof InlineFragment i) {
        String tc = i.getTypeCondition() == null ? type : i.getTypeCondition().getName();
        if (!gatherable(i.getSelectionSet(), tc, graph, provided, visiting)) return false;
        continue;
      }
      if (!(s instanceof Field f) || f.getName().startsWith("__")) continue;
      if (facts.local(type, f.getName(), graph, provided)) {
        Field pf = FieldSets.provided(provided, type, f.getName());
        if (f.getSelectionSet() != null
            && !gatherable(
                f.getSelectionSet(),
                facts.childType(type, f.getName(), graph),
                graph,
                pf == null ? null : pf.getSelectionSet(),
                visiting)) return false;
        continue;
      }
      if (!fetchable(f, type, graph, provided, visiting)) return false;
    }
    return true;
  }

  /** True when an owner of {@code type.f} other than {@code graph} can give it by a key. */
  private boolean fetchable(
      Field f, String type, String graph, @Nullable SelectionSet provided, Set<String> visiting) {
    for (String o : supergraph.owners(type, f.getName())) {
      if (o.equals(graph) || facts.requires(type, f.getName(), o) != null) continue;
      if (f.getSelectionSet() != null
          && !gatherable(
              f.getSelectionSet(), facts.childType(type, f.getName(), o), o, null, visiting)) {
        continue;
      }
      if (gatherableKey(type, o, graph, provided, visiting) != null) return true;
    }
    return false;
  }

  /**
   * When {@code target} has no key for {@code type}: the enclosing level whose type it can fetch by
   * a key this graph fills (or, at the top of an entity fetch, the representation carries) and
   * whose field leading here it resolves, else null.
   */
  PlanContext.@Nullable Level enclosingEntity(String type, String target, PlanContext ctx) {
    PlanContext.Level up = ctx.enclosing();
    if (supergraph.key(type, target) != null || up == null) return null;
    if (!supergraph.resolvable(up.type(), up.via().getName(), target)) return null;
    Supergraph.Key k = keyFor(up.type(), target, ctx.graph());
    if (k == null) return null;
    return facts.allResolvableDeep(FieldSets.parse(k.fields()), up.type(), ctx.graph(), null)
            || carried(up, k)
        ? up
        : null;
  }

  /** A graph resolving {@code type.field} through the enclosing entity, or null. */
  @Nullable String enclosingOwner(String type, String field, PlanContext ctx) {
    for (String o : supergraph.owners(type, field)) {
      if (enclosingEntity(type, o, ctx) != null) return o;
    }
    return null;
  }

  /** True at the top of an entity fetch whose representation holds every field of {@code k}. */
  static boolean carried(PlanContext.Level up, Supergraph.Key k) {
    if (!up.path().isEmpty() || up.owner().typeName == null) return false;
    for (Selection<?> s : FieldSets.parse(k.fields()).getSelections()) {
      if (s instanceof Field kf
          && up.owner().representation.getSelections().stream()
              .noneMatch(r -> r instanceof Field rf && rf.getName().equals(kf.getName())))
        return false;
    }
    return true;
  }
}
