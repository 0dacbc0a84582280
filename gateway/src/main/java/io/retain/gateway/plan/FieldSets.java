package io.retain.gateway.plan;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Field sets ({@code @key}, {@code @requires}, {@code @provides}) parsed, printed and compared. */
final class FieldSets {

  private FieldSets() {}

  /** A field set's text ({@code "id sku"}) as a selection set; empty for blank text. */
  static SelectionSet parse(@Nullable String fields) {
    if (fields == null || fields.isBlank()) return new SelectionSet(new ArrayList<>());
    Document d = Parser.parse("{" + fields + "}");
    return ((OperationDefinition) d.getDefinitions().get(0)).getSelectionSet();
  }

  /**
   * A {@code @requires} field set whose fields with arguments carry an alias derived from their
   * arguments: the client may select the same field with other arguments in the same fetch, which
   * the subgraph would refuse; representations are read back by that alias.
   */
  static SelectionSet required(String fields) {
    return aliasArgumentFields(parse(fields));
  }

  private static SelectionSet aliasArgumentFields(SelectionSet ss) {
    List<Selection> out = new ArrayList<>();
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        SelectionSet sub =
            f.getSelectionSet() == null ? null : aliasArgumentFields(f.getSelectionSet());
        String alias =
            f.getArguments().isEmpty()
                ? f.getAlias()
                : f.getName()
                    + "__req_"
                    + Integer.toUnsignedString(
                        print(new Field(f.getName(), f.getArguments())).hashCode(), 36);
        out.add(f.transform(b -> b.alias(alias).selectionSet(sub)));
      } else if (s instanceof InlineFragment i) {
        out.add(i.transform(b -> b.selectionSet(aliasArgumentFields(i.getSelectionSet()))));
      } else out.add(s);
    }
    return new SelectionSet(out);
  }

  /** Compact GraphQL text: how selections are compared for "already there". */
  static String print(Node<?> n) {
    return AstPrinter.printAstCompact(n);
  }

  /** True when {@code selections} holds one printing as {@code printed}. */
  static boolean containsPrinted(List<Selection> selections, String printed) {
    return selections.stream().anyMatch(x -> print(x).equals(printed));
  }

  /** True when both sets hold a field under the same name read back from different keys. */
  static boolean conflicting(SelectionSet a, SelectionSet b) {
    for (Selection<?> x : a.getSelections()) {
      if (!(x instanceof Field fx)) continue;
      for (Selection<?> y : b.getSelections()) {
        if (!(y instanceof Field fy) || !fx.getName().equals(fy.getName())) continue;
        if (!fx.getResultKey().equals(fy.getResultKey())) return true;
        if (fx.getSelectionSet() != null
            && fy.getSelectionSet() != null
            && conflicting(fx.getSelectionSet(), fy.getSelectionSet())) return true;
      }
    }
    return false;
  }

  /** The field of a {@code @provides} selection that covers {@code type.field}, or null. */
  static @Nullable Field provided(@Nullable SelectionSet provided, String type, String field) {
    if (provided == null) return null;
    for (Selection<?> s : provided.getSelections()) {
      if (s instanceof Field f && f.getName().equals(field)) return f;
      if (s instanceof InlineFragment i
          && (i.getTypeCondition() == null || i.getTypeCondition().getName().equals(type))) {
        Field inner = provided(i.getSelectionSet(), type, field);
        if (inner != null) return inner;
      }
    }
    return null;
  }
}
