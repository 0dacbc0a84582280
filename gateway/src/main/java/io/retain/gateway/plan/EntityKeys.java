package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.retain.gateway.supergraph.Supergraph;
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
          && facts.allResolvable(FieldSets.parse(k.fields()), type, from)) return k;
    }
    return supergraph.key(type, target);
  }

  /**
   * When no key of {@code type} in {@code target} can be filled from {@code graph}: another graph
   * reachable by a key {@code graph} can fill that resolves one of the target's keys, else null.
   */
  @Nullable String keyHop(String type, String target, String graph) {
    Supergraph.Key tk = keyFor(type, target, graph);
    if (tk == null || facts.allResolvable(FieldSets.parse(tk.fields()), type, graph)) return null;
    Supergraph.TypeInfo t = supergraph.type(type);
    for (Supergraph.Key k : t.keys()) {
      String h = k.graph();
      if (h.equals(graph) || h.equals(target) || !k.resolvable()) continue;
      if (!facts.allResolvable(FieldSets.parse(k.fields()), type, graph)) continue;
      Supergraph.Key via = keyFor(type, target, h);
      if (via != null && facts.allResolvable(FieldSets.parse(via.fields()), type, h)) return h;
    }
    return null;
  }

  /**
   * True when {@code target} has a resolvable key of {@code type} whose fields {@code graph}
   * resolves ({@code @external} ones it does not): else no representation can be sent there.
   */
  boolean keyFillable(String type, String target, String graph, @Nullable SelectionSet provided) {
    Supergraph.Key k = keyFor(type, target, graph);
    if (k == null) return false;
    for (Selection<?> s : FieldSets.parse(k.fields()).getSelections()) {
      if (s instanceof Field kf && !facts.local(type, kf.getName(), graph, provided)) return false;
    }
    return true;
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
    return facts.allResolvable(FieldSets.parse(k.fields()), up.type(), ctx.graph())
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
