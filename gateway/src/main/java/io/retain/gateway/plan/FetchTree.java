package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.retain.gateway.supergraph.Supergraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fetch tree of one plan while it is built: an entity fetch is created where a selection
 * crosses into another graph (one per target, type, path and tag), attached to its parent fetch,
 * and queued until its own selection is projected. One instance per {@link QueryPlanner#plan} call.
 */
final class FetchTree {

  private final SchemaFacts facts;
  private final EntityKeys keys;
  private final Deque<StepBuilder> pending = new ArrayDeque<>();
  private final Set<String> gathering = new HashSet<>();

  FetchTree(SchemaFacts facts, EntityKeys keys) {
    this.facts = facts;
    this.keys = keys;
  }

  /**
   * Marks the gathering of {@code type}'s key for {@code target} at {@code path} as under way;
   * false when it already is (a key whose fields would need that same keyed fetch first).
   */
  boolean startGathering(String type, String target, List<String> path) {
    return gathering.add(type + "|" + target + "|" + path);
  }

  void endGathering(String type, String target, List<String> path) {
    gathering.remove(type + "|" + target + "|" + path);
  }

  /** The next fetch whose selection is still to be projected, or null when none is left. */
  @Nullable StepBuilder nextPending() {
    return pending.poll();
  }

  /**
   * The fetch from {@code target} for objects of {@code at}'s parent type at its path, created (and
   * queued) on first use; {@code out}, when given, gets {@code __typename} and the key fields its
   * representations are built from.
   */
  StepBuilder boundary(PlanContext at, String target, @Nullable Selected out, String tag) {
    String type = at.parentType();
    String bkey = boundaryKey(target, type, at.path(), tag);
    StepBuilder b = at.boundaries().get(bkey);
    if (b == null) {
      b = new StepBuilder(target, type, at.path(), facts.concrete(type));
      if (facts.supergraph().interfaceObject(type, target)) b.representationTypename = type;
      b.afterSiblings = tag.startsWith("after:");
      at.boundaries().put(bkey, b);
      at.owner().children.add(b);
      pending.add(b);
      Supergraph.Key key = keys.keyFor(type, target, at.owner().graph);
      b.representation = FieldSets.parse(key == null ? "" : key.fields());
    }
    if (out != null) {
      out.addOnce(new Field("__typename"));
      for (Selection<?> k : b.representation.getSelections()) out.addOnce(k);
    }
    return b;
  }

  /**
   * {@code tag}, or a variant of it, naming a fetch whose representations can carry {@code
   * required}: two fields requiring the same field with different arguments ({@code price(currency:
   * "USD")}, {@code price(currency: "EUR")}) need separate fetches, a representation holding one
   * value per field.
   */
  static String separateTag(
      String tag, String target, PlanContext at, @Nullable SelectionSet required) {
    if (required == null) return tag;
    for (int n = 0; ; n++) {
      String t = n == 0 ? tag : tag + "#" + n;
      StepBuilder b = at.boundaries().get(boundaryKey(target, at.parentType(), at.path(), t));
      if (b == null || !FieldSets.conflicting(b.representation, required)) return t;
    }
  }

  private static String boundaryKey(String target, String type, List<String> path, String tag) {
    return target + "|" + type + "|" + path + "|" + tag;
  }

  /** Adds {@code extra} (required fields) to the fetch's representation, and to {@code out}. */
  static void addRepresentation(StepBuilder b, SelectionSet extra, @Nullable Selected out) {
    List<Selection> merged = new ArrayList<>(b.representation.getSelections());
    for (Selection<?> s : extra.getSelections()) {
      if (!FieldSets.containsPrinted(merged, FieldSets.print(s))) merged.add(s);
      if (out != null) out.addOnce(s);
    }
    b.representation = new SelectionSet(merged);
  }

  /** Fetches {@code f} from {@code target} through the enclosing entity {@code up}. */
  void fetchThroughEnclosing(PlanContext ctx, PlanContext.Level up, String target, Field f) {
    Supergraph.Key k = keys.keyFor(up.type(), target, ctx.owner().graph);
    // a key the representation carries is already in the data: not asked of this graph again
    boolean inData = k != null && EntityKeys.carried(up, k);
    StepBuilder b = boundary(ctx.at(up), target, inData ? null : up.out(), "");
    Field sel = up.via().transform(x -> x.selectionSet(new SelectionSet(List.of(f))));
    if (!FieldSets.containsPrinted(b.raw, FieldSets.print(sel))) b.raw.add(sel);
  }

  /**
   * For a key of {@code type} in {@code target} with fields this graph lacks: when each of them can
   * come through an enclosing-entity fetch from its owner, plans those fetches (and selects the key
   * fields this graph has) and returns true; else plans nothing and returns false.
   */
  boolean keyThroughEnclosing(String type, String target, PlanContext ctx, Selected out) {
    Supergraph.Key k = facts.supergraph().key(type, target);
    if (k == null) return false;
    List<Runnable> fetches = new ArrayList<>();
    for (Selection<?> s : FieldSets.parse(k.fields()).getSelections()) {
      if (!(s instanceof Field kf)) continue;
      if (facts.local(type, kf.getName(), ctx.graph(), ctx.provided())) {
        // a nested key field this graph lacks ({@code products { id pid }}) is not for here
        SelectionSet one = new SelectionSet(List.of(kf));
        if (!facts.allResolvableDeep(one, type, ctx.graph(), ctx.provided())) return false;
        fetches.add(() -> out.addOnce(kf));
        continue;
      }
      String o = keys.enclosingOwner(type, kf.getName(), ctx);
      if (o == null) return false;
      PlanContext.Level up = ctx.enclosing();
      fetches.add(() -> fetchThroughEnclosing(ctx, up, o, kf));
    }
    fetches.forEach(Runnable::run);
    return true;
  }
}
