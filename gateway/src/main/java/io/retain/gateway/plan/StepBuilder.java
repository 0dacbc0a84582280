package io.retain.gateway.plan;

import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A fetch while its plan is built; {@link #build} freezes it and its children into {@link Step}s.
 */
final class StepBuilder {
  final String graph;
  final @Nullable String typeName;
  final List<String> path;
  final Set<String> concreteTypes;

  /** The client's selections this fetch answers, projected onto its graph once it is dequeued. */
  final List<Selection> raw = new ArrayList<>();

  final List<StepBuilder> children = new ArrayList<>();
  @Nullable SelectionSet representation;
  @Nullable String representationTypename;
  boolean afterSiblings;
  @Nullable SelectionSet selection;
  boolean aliased;

  StepBuilder(String graph, @Nullable String typeName, List<String> path, Set<String> types) {
    this.graph = graph;
    this.typeName = typeName;
    this.path = path;
    this.concreteTypes = types;
  }

  /** A root fetch on {@code graph}. */
  static StepBuilder root(String graph) {
    return new StepBuilder(graph, null, List.of(), Set.of());
  }

  Step build() {
    return new Step(this, children.stream().map(StepBuilder::build).toList());
  }
}
