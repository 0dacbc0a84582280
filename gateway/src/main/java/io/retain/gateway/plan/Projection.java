package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Projects a selection onto one graph: what the graph resolves stays (with {@code __typename} and
 * the key and required fields other fetches need), the rest becomes entity fetches in the tree.
 */
final class Projection {

  private final Supergraph supergraph;
  private final SchemaFacts facts;
  private final EntityKeys keys;
  private final AbstractSelections abstracts;
  private final RequiresPlanner requires;

  Projection(SchemaFacts facts, EntityKeys keys) {
    this.supergraph = facts.supergraph();
    this.facts = facts;
    this.keys = keys;
    this.abstracts = new AbstractSelections(facts);
    this.requires = new RequiresPlanner(facts);
  }

  /** A field owned by {@code target} that waits for its {@code @requires} fields from elsewhere. */
  private record Deferred(Field field, String target, String requires) {}

  /** The part of {@code ss} the context's graph is asked for, as it is sent there. */
  SelectionSet project(SelectionSet ss, PlanContext ctx) {
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    ss = abstracts.explode(ss, parentType, graph, ctx.provided());
    Selected out = new Selected();
    List<Deferred> deferred = new ArrayList<>();
    // an @interfaceObject graph only knows the interface: the concrete type (and fragments on
    // it) come from the graph where the interface is real
    StepBuilder real = null;
    // with no object type implementing the interface anywhere there is no concrete type to learn
    if (supergraph.interfaceObject(parentType, graph) && facts.concrete(parentType).size() > 1) {
      String rg = facts.realGraph(parentType);
      if (rg != null) {
        real = ctx.tree().boundary(ctx, rg, out, "");
        real.raw.add(new Field("__typename"));
      }
    }
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        if (f.getName().startsWith("__")) {
          if (!(real != null && f.getName().equals("__typename"))) out.add(f);
        } else {
          field(f, ctx, out, deferred);
        }
      } else if (s instanceof InlineFragment i) {
        fragment(i, ctx, out, real);
      }
    }
    for (Deferred d : deferred) {
      requires.fetchAfterRequirements(d.field(), d.target(), d.requires(), ctx, out);
    }
    return out.toSelectionSet();
  }

  private void field(Field f, PlanContext ctx, Selected out, List<Deferred> deferred) {
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    // a field of this graph requiring fields it does not have is resolved through _entities
    // (at the top of an entity fetch, the representation carries them)
    String ownReq = facts.requires(parentType, f.getName(), graph);
    boolean waits =
        ownReq != null
            && !ctx.atEntityTop()
            && FieldSets.provided(ctx.provided(), parentType, f.getName()) == null
            && !facts.allResolvable(FieldSets.parse(ownReq), parentType, graph);
    if (!waits && facts.local(parentType, f.getName(), graph, ctx.provided())) {
      out.add(projectField(f, ctx, out));
    } else {
      remote(f, ctx, out, waits, deferred);
    }
  }

  /** Plans a field the context's graph does not resolve here: an entity fetch from its owner. */
  private void remote(
      Field f, PlanContext ctx, Selected out, boolean waits, List<Deferred> deferred) {
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    FetchTree tree = ctx.tree();
    String viaInterface = facts.standInInterface(parentType, f.getName());
    String entityType = viaInterface == null ? parentType : viaInterface;
    PlanContext at = ctx.withParentType(entityType);
    String target =
        waits
            ? graph
            : keys.reachableOwner(
                entityType, f.getName(), graph, facts.pickOwner(entityType, f.getName(), graph));
    String req = facts.requires(entityType, f.getName(), target);
    if (req != null && !facts.allResolvable(FieldSets.parse(req), parentType, graph)) {
      deferred.add(new Deferred(f, target, req));
      return;
    }
    String hop = keys.keyHop(entityType, target, graph);
    if (hop != null && req == null) {
      // the target's key is not known here: a graph whose key is fetches it first
      StepBuilder h = tree.boundary(at, hop, out, "");
      Supergraph.Key tk = keys.keyFor(entityType, target, hop);
      h.raw.addAll(FieldSets.parse(tk.fields()).getSelections());
      StepBuilder c =
          tree.boundary(at.withPath(List.of()).withOwner(h), target, null, "after:" + ctx.path());
      c.raw.add(f);
      return;
    }
    PlanContext.Level up = keys.enclosingEntity(entityType, target, ctx);
    if (up != null && req == null) {
      // the type has no key there: the enclosing entity is fetched there, down to the field
      tree.fetchThroughEnclosing(ctx, up, target, f);
      return;
    }
    if (!keys.keyFillable(entityType, target, graph, ctx.provided())) {
      String via = req == null ? keys.enclosingOwner(entityType, f.getName(), ctx) : null;
      if (via != null) {
        // another graph resolving it has no key for the type: through the enclosing entity
        tree.fetchThroughEnclosing(ctx, ctx.enclosing(), via, f);
        return;
      }
      if (req == null && tree.keyThroughEnclosing(entityType, target, ctx, out)) {
        // the key's missing fields come from enclosing-entity fetches: this one follows them
        StepBuilder c = tree.boundary(at, target, null, "after:" + ctx.path());
        c.raw.add(f);
        return;
      }
      if (req == null && gatherKey(f, entityType, target, at, out)) return;
      throw new QueryPlanner.UnsatisfiableException(
          String.format(
              "Cannot query field '%s' on type '%s': subgraph '%s' has no key of it that"
                  + " '%s' can fill",
              f.getName(), entityType, supergraph.graphName(target), supergraph.graphName(graph)),
          f.getName(),
          entityType);
    }
    SelectionSet rs = req == null ? null : FieldSets.required(req);
    String tag = FetchTree.separateTag("", target, at, rs);
    StepBuilder b = tree.boundary(at, target, out, tag);
    // a key field gathered for another fetch may be the client's own selection too
    if (!FieldSets.containsPrinted(b.raw, FieldSets.print(f))) b.raw.add(f);
    if (rs != null) FetchTree.addRepresentation(b, rs, out);
  }

  /**
   * A key of {@code type} in {@code target} whose fields this graph lacks at any depth ({@code pid}
   * of {@code id pid category { id tag }}) but other graphs give: its fields are planned here as if
   * selected, each missing one fetched from its own graph, and the keyed fetch follows them. False
   * (nothing planned) when no key can be gathered so.
   */
  private boolean gatherKey(Field f, String type, String target, PlanContext at, Selected out) {
    Supergraph.Key k = keys.gatherableKey(type, target, at.graph(), at.provided());
    FetchTree tree = at.tree();
    if (k == null || !tree.startGathering(type, target, at.path())) return false;
    try {
      SelectionSet kfs = FieldSets.parse(k.fields());
      for (Selection<?> s : project(kfs, at).getSelections()) out.addOnce(s);
      out.addOnce(new Field("__typename"));
      StepBuilder c = tree.boundary(at, target, null, "after:" + at.path());
      if (c.raw.isEmpty()) c.representation = kfs;
      c.raw.add(f);
      return true;
    } finally {
      tree.endGathering(type, target, at.path());
    }
  }

  private void fragment(
      InlineFragment i, PlanContext ctx, Selected out, @Nullable StepBuilder real) {
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    String tc = i.getTypeCondition() == null ? parentType : i.getTypeCondition().getName();
    if (real != null && !tc.equals(parentType)) {
      real.raw.add(i);
      return;
    }
    if (!supergraph.knows(tc, graph)) return;
    if (abstracts.neverMatches(tc, parentType, graph)) return;
    if (abstracts.memberNotShared(tc, ctx)) return;
    List<String> perType = abstracts.membersElsewhere(tc, parentType, graph);
    if (perType != null) {
      // an abstract condition whose types are members of it only in other graphs: one
      // fragment per type, which this graph does accept
      for (String t : perType) {
        SelectionSet sub = project(i.getSelectionSet(), ctx.withParentType(t));
        out.add(i.transform(b -> b.typeCondition(new TypeName(t)).selectionSet(sub)));
      }
      return;
    }
    SelectionSet sub = project(i.getSelectionSet(), ctx.withParentType(tc));
    out.add(i.transform(b -> b.selectionSet(sub)));
  }

  /** The field with its sub-selection projected onto the context's graph (one level down). */
  private Field projectField(Field f, PlanContext ctx, Selected out) {
    if (f.getSelectionSet() == null) return f;
    String parentType = ctx.parentType();
    String graph = ctx.graph();
    String childType = facts.childType(parentType, f.getName(), graph);
    // what the graph provides below this field: from an enclosing @provides or the field's own
    Field pf = FieldSets.provided(ctx.provided(), parentType, f.getName());
    SelectionSet childProvided = pf == null ? null : pf.getSelectionSet();
    Supergraph.FieldInfo info = facts.field(parentType, f.getName());
    if (info != null && info.provides().get(graph) != null) {
      List<Selection> all =
          new ArrayList<>(FieldSets.parse(info.provides().get(graph)).getSelections());
      if (childProvided != null) all.addAll(childProvided.getSelections());
      childProvided = new SelectionSet(all);
    }
    SelectionSet sub = project(f.getSelectionSet(), ctx.below(f, out, childType, childProvided));
    if (sub.getSelections().stream()
        .noneMatch(s -> s instanceof Field x && x.getName().equals("__typename"))) {
      List<Selection> with = new ArrayList<>(sub.getSelections());
      with.add(new Field("__typename"));
      sub = new SelectionSet(with);
    }
    SelectionSet finalSub = sub;
    return f.transform(b -> b.selectionSet(finalSub));
  }
}
