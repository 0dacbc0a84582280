package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;

/** Plans a field whose {@code @requires} fields come from other graphs: those first, then it. */
final class RequiresPlanner {

  private final Supergraph supergraph;
  private final SchemaFacts facts;

  RequiresPlanner(SchemaFacts facts) {
    this.supergraph = facts.supergraph();
    this.facts = facts;
  }

  /**
   * Plans {@code f}, owned by {@code target} and requiring {@code req} of which some fields are not
   * in the context's graph: those come from their own graphs first (recursively when they require
   * fields in turn, a chain of {@code @requires}), then the requiring fetch follows the last of
   * them. Returns that fetch.
   */
  StepBuilder fetchAfterRequirements(
      Field f, String target, String req, PlanContext ctx, Selected out) {
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    FetchTree tree = ctx.tree();
    SelectionSet rs = FieldSets.required(req);
    StepBuilder last = ctx.owner();
    List<Selection> local = new ArrayList<>();
    for (Selection<?> s : rs.getSelections()) {
      if (!(s instanceof Field rf)) continue;
      if (supergraph.resolvable(parentType, rf.getName(), graph)) {
        local.add(rf);
        continue;
      }
      String provider = facts.pickOwner(parentType, rf.getName(), graph);
      String inner = facts.requires(parentType, rf.getName(), provider);
      if (inner != null && !facts.allResolvable(FieldSets.parse(inner), parentType, graph)) {
        last = fetchAfterRequirements(rf, provider, inner, ctx, out);
      } else {
        StepBuilder p = tree.boundary(ctx, provider, out, "");
        p.raw.add(rf);
        if (inner != null) FetchTree.addRepresentation(p, FieldSets.required(inner), out);
        last = p;
      }
    }
    StepBuilder from = last;
    PlanContext afterFrom = ctx.withPath(List.of());
    String tag =
        FetchTree.separateTag(
            "after:" + ctx.path() + "@" + System.identityHashCode(from), target, afterFrom, rs);
    if (from == ctx.owner()) {
      // nothing to wait for (the remote parts were in fragments): an ordinary fetch
      StepBuilder b = tree.boundary(ctx, target, out, tag);
      b.raw.add(f);
      FetchTree.addRepresentation(b, rs, out);
      return b;
    }
    StepBuilder c = tree.boundary(afterFrom.withOwner(from), target, null, tag);
    c.raw.add(f);
    // the requiring graph's key may differ from the provider's: fetched here when this graph has
    // it, else by the provider
    for (Selection<?> k : c.representation.getSelections()) {
      if (k instanceof Field kf && supergraph.resolvable(parentType, kf.getName(), graph)) {
        out.addOnce(k);
      } else if (!FieldSets.containsPrinted(from.raw, FieldSets.print(k))) {
        from.raw.add(k);
      }
    }
    FetchTree.addRepresentation(c, rs, null);
    for (Selection<?> l : local) out.addOnce(l);
    return c;
  }
}
