package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Replaces named fragment spreads by inline fragments, so planning sees one selection tree. */
final class FragmentInliner {

  private FragmentInliner() {}

  /** The selection with every spread inlined, recursively (directives of a spread kept). */
  static @Nullable SelectionSet expand(
      @Nullable SelectionSet ss, Map<String, FragmentDefinition> fragments) {
    if (ss == null) return null;
    List<Selection> out = new ArrayList<>();
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        out.add(
            f.getSelectionSet() == null
                ? f
                : f.transform(b -> b.selectionSet(expand(f.getSelectionSet(), fragments))));
      } else if (s instanceof InlineFragment i) {
        out.add(i.transform(b -> b.selectionSet(expand(i.getSelectionSet(), fragments))));
      } else if (s instanceof FragmentSpread sp) {
        FragmentDefinition def = fragments.get(sp.getName());
        out.add(
            InlineFragment.newInlineFragment()
                .typeCondition(def.getTypeCondition())
                .directives(sp.getDirectives())
                .selectionSet(expand(def.getSelectionSet(), fragments))
                .build());
      }
    }
    return new SelectionSet(out);
  }
}
