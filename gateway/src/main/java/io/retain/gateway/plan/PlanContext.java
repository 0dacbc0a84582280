package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a selection is being projected, immutable and derived with {@code with…} methods (the idiom
 * of graphql-java's {@code ExecutionStrategyParameters}): the plan being built ({@code tree}), the
 * parent type, the graph, the response path below the {@code owner} step's objects, the fetches
 * leaving this selection ({@code boundaries}, by boundary key), what an enclosing {@code @provides}
 * covers and the enclosing levels, innermost first.
 */
record PlanContext(
    FetchTree tree,
    String parentType,
    String graph,
    List<String> path,
    Map<String, StepBuilder> boundaries,
    StepBuilder owner,
    @Nullable SelectionSet provided,
    List<Level> levels) {

  /**
   * An enclosing level of a projection: its type, the field leading below it, and where a fetch
   * there is attached and what it selects.
   */
  record Level(
      String type,
      Field via,
      List<String> path,
      Map<String, StepBuilder> boundaries,
      Selected out,
      StepBuilder owner) {}

  /** The context at the top of {@code step}'s selection, whose objects are of type {@code type}. */
  static PlanContext top(FetchTree tree, StepBuilder step, String type) {
    return new PlanContext(
        tree, type, step.graph, List.of(), new LinkedHashMap<>(), step, null, List.of());
  }

  PlanContext withParentType(String type) {
    return new PlanContext(tree, type, graph, path, boundaries, owner, provided, levels);
  }

  PlanContext withPath(List<String> p) {
    return new PlanContext(tree, parentType, graph, p, boundaries, owner, provided, levels);
  }

  PlanContext withOwner(StepBuilder o) {
    return new PlanContext(tree, parentType, graph, path, boundaries, o, provided, levels);
  }

  /** Fetches attached at the enclosing level {@code up} (its type, path and boundaries). */
  PlanContext at(Level up) {
    return new PlanContext(
        tree, up.type(), graph, up.path(), up.boundaries(), owner, provided, levels);
  }

  /**
   * The context below field {@code via} of this level, whose projection goes to {@code out}: a new
   * level enclosing the child selection of type {@code childType}.
   */
  PlanContext below(
      Field via, Selected out, String childType, @Nullable SelectionSet childProvided) {
    List<String> childPath = new ArrayList<>(path);
    childPath.add(via.getResultKey());
    List<Level> enclosing = new ArrayList<>(levels.size() + 1);
    enclosing.add(new Level(parentType, via, path, boundaries, out, owner));
    enclosing.addAll(levels);
    return new PlanContext(
        tree,
        childType,
        graph,
        List.copyOf(childPath),
        new LinkedHashMap<>(),
        owner,
        childProvided,
        List.copyOf(enclosing));
  }

  /** The innermost enclosing level, or null at the top of a step's selection. */
  @Nullable Level enclosing() {
    return levels.isEmpty() ? null : levels.get(0);
  }

  /** True at the top of an entity fetch: the representation carries what its fields require. */
  boolean atEntityTop() {
    return path.isEmpty() && owner.typeName != null;
  }
}
