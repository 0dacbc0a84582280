package io.retain.gateway.plan;

import graphql.language.AstPrinter;
import graphql.language.SelectionSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One fetch of a plan, immutable (plans are cached and shared across requests): a root fetch
 * (typeName null) or an {@code _entities} fetch for objects found at {@code path} below the parent
 * step's objects. Built by {@link StepBuilder}.
 */
public final class Step {
  private final String graph;
  private final @Nullable String typeName;
  private final List<String> path;
  private final Set<String> concreteTypes;
  private final SelectionSet selection;
  private final String printedSelection;
  private final @Nullable SelectionSet representation;
  private final @Nullable String representationTypename;
  private final boolean afterSiblings;
  private final boolean aliased;
  private final List<Step> children;

  Step(StepBuilder b, List<Step> children) {
    this.graph = b.graph;
    this.typeName = b.typeName;
    this.path = List.copyOf(b.path);
    this.concreteTypes = Set.copyOf(b.concreteTypes);
    this.selection = b.selection;
    this.printedSelection = AstPrinter.printAstCompact(b.selection);
    this.representation = b.representation;
    this.representationTypename = b.representationTypename;
    this.afterSiblings = b.afterSiblings;
    this.aliased = b.aliased;
    this.children = List.copyOf(children);
  }

  /** The subgraph (join__Graph value) fetched from. */
  public String graph() {
    return graph;
  }

  /** The entity type of an {@code _entities} fetch; null for a root fetch. */
  public @Nullable String typeName() {
    return typeName;
  }

  /** Where below the parent step's objects this fetch's objects are (response keys). */
  public List<String> path() {
    return path;
  }

  /** The {@code __typename}s an object there may have for this fetch to apply. */
  public Set<String> concreteTypes() {
    return concreteTypes;
  }

  /** The selection sent to the subgraph. */
  public SelectionSet selection() {
    return selection;
  }

  /** The selection as compact GraphQL text, printed once: plans are cached and reused. */
  public String printedSelection() {
    return printedSelection;
  }

  /** The fields each representation carries (key and required fields); null for a root fetch. */
  public @Nullable SelectionSet representation() {
    return representation;
  }

  /**
   * The {@code __typename} representations carry, when the target holds the type as an
   * {@code @interfaceObject} (it only knows the interface name); null keeps each object's own.
   */
  public @Nullable String representationTypename() {
    return representationTypename;
  }

  /**
   * Runs only after its sibling steps' subtrees: it needs fields they fetch (a {@code @requires}
   * chain, a key another graph supplies).
   */
  public boolean afterSiblings() {
    return afterSiblings;
  }

  /** Its selection carries generated aliases ({@link ResponseKeys}) to map back on merge. */
  public boolean aliased() {
    return aliased;
  }

  /** The fetches that continue from this one's objects. */
  public List<Step> children() {
    return children;
  }

  @Override
  public String toString() {
    return graph + (typeName == null ? "" : "<" + typeName + "@" + path + ">") + children;
  }
}
