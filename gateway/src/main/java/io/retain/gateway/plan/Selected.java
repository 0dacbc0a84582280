package io.retain.gateway.plan;

import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The selection one projection level writes, and the fields the plan added to it (once each). */
final class Selected {

  private final List<Selection> out = new ArrayList<>();
  private final Set<String> injected = new HashSet<>();

  /** Adds a selection of the client's. */
  void add(Selection<?> s) {
    out.add(s);
  }

  /** Adds a field the plan needs here (a key, a required field) unless it added it before. */
  void addOnce(Selection<?> s) {
    if (injected.add(FieldSets.print(s))) out.add(s);
  }

  SelectionSet toSelectionSet() {
    return new SelectionSet(out);
  }
}
