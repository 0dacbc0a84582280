package io.retain.gateway.plan;

import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One fetch: a root fetch (typeName null) or an {@code _entities} fetch for objects found at {@code
 * path} below the parent step's objects.
 */
public final class Step {
  public final String graph;
  public final String typeName;
  public final List<String> path;
  public final Set<String> concreteTypes;
  public final List<String> representationFields = new ArrayList<>();
  public SelectionSet selection;
  List<Selection> raw;
  public SelectionSet representation;
  public final List<Step> children = new ArrayList<>();

  /**
   * The {@code __typename} representations carry, when the target holds the type as an
   * {@code @interfaceObject} (it only knows the interface name); null keeps each object's own.
   */
  public String representationTypename;

  /**
   * Runs only after its sibling steps' subtrees: it needs fields they fetch (a {@code @requires}
   * chain, a key another graph supplies).
   */
  public boolean afterSiblings;

  /** Its selection carries generated aliases ({@link ResponseKeys}) to map back on merge. */
  public boolean aliased;

  private volatile String printed;

  Step(String graph, String typeName, List<String> path, Set<String> concreteTypes) {
    this.graph = graph;
    this.typeName = typeName;
    this.path = path;
    this.concreteTypes = concreteTypes;
  }

  /** The selection as compact GraphQL text, printed once: plans are cached and reused. */
  public String printedSelection() {
    String p = printed;
    if (p == null) printed = p = graphql.language.AstPrinter.printAstCompact(selection);
    return p;
  }

  @Override
  public String toString() {
    return graph + (typeName == null ? "" : "<" + typeName + "@" + path + ">") + children;
  }
}
