package io.retain.gateway.plan;

import graphql.language.*;
import graphql.schema.*;
import io.retain.gateway.supergraph.Supergraph;
import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a subgraph document valid where the client's is: fields that share a response key but not a
 * type in that subgraph ({@code ... on User { id }} with {@code id: ID!} next to {@code ... on
 * Admin { id }} with {@code id: ID}) cannot be merged by the subgraph, so all but the first get a
 * generated alias, which {@link #original} maps back when the answer is merged. Selections that the
 * subgraph merges (same response key) are checked together, at every depth.
 */
public final class ResponseKeys {

  private static final Pattern ALIAS = Pattern.compile("^(.+)__alias_\\d+$");

  private final Supergraph supergraph;
  private final GraphQLSchema schema;
  private final String graph;
  private int next;

  ResponseKeys(Supergraph supergraph, GraphQLSchema schema, String graph) {
    this.supergraph = supergraph;
    this.schema = schema;
    this.graph = graph;
  }

  /** The selection, with conflicting fields aliased, as sent to {@code graph}. */
  SelectionSet separate(SelectionSet ss, String type) {
    return separate(List.of(ss), List.of(type)).get(0);
  }

  /** True once {@link #separate} generated an alias. */
  boolean aliased() {
    return next > 0;
  }

  /** The client's response key for a key in a subgraph's answer. */
  public static String original(String key) {
    Matcher m = ALIAS.matcher(key);
    return m.matches() ? m.group(1) : key;
  }

  private record Occurrence(Field field, String parentType) {}

  /** Sets merged by the subgraph (one response key's sub-selections), each with its type. */
  private List<SelectionSet> separate(List<SelectionSet> sets, List<String> types) {
    List<Occurrence> occurrences = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) collect(sets.get(i), types.get(i), occurrences);
    String[] keys = new String[occurrences.size()];
    String[] signatures = new String[occurrences.size()];
    Map<String, Map<String, String>> keyBySignature = new LinkedHashMap<>();
    for (int i = 0; i < occurrences.size(); i++) {
      Occurrence o = occurrences.get(i);
      signatures[i] = signature(o);
      Map<String, String> bySignature =
          keyBySignature.computeIfAbsent(o.field.getResultKey(), k -> new LinkedHashMap<>());
      keys[i] =
          bySignature.computeIfAbsent(
              signatures[i],
              sig ->
                  bySignature.isEmpty()
                      ? o.field.getResultKey()
                      : o.field.getResultKey() + "__alias_" + next++);
    }
    // the sub-selections under one response key are merged by the subgraph: check them together
    SelectionSet[] subs = new SelectionSet[occurrences.size()];
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < occurrences.size(); i++) {
      if (occurrences.get(i).field.getSelectionSet() != null) {
        byKey.computeIfAbsent(keys[i], k -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> group : byKey.values()) {
      List<SelectionSet> childSets = new ArrayList<>();
      List<String> childTypes = new ArrayList<>();
      for (int i : group) {
        childSets.add(occurrences.get(i).field.getSelectionSet());
        childTypes.add(childType(occurrences.get(i)));
      }
      List<SelectionSet> done = separate(childSets, childTypes);
      for (int j = 0; j < group.size(); j++) subs[group.get(j)] = done.get(j);
    }
    int[] at = {0};
    List<SelectionSet> out = new ArrayList<>();
    for (SelectionSet ss : sets) out.add(rebuild(ss, keys, subs, at));
    return out;
  }

  private static void collect(SelectionSet ss, String type, List<Occurrence> out) {
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) out.add(new Occurrence(f, type));
      else if (s instanceof InlineFragment i) {
        collect(
            i.getSelectionSet(),
            i.getTypeCondition() == null ? type : i.getTypeCondition().getName(),
            out);
      }
    }
  }

  /** Same order as {@link #collect}. */
  private static SelectionSet rebuild(
      SelectionSet ss, String[] keys, SelectionSet[] subs, int[] at) {
    List<Selection> out = new ArrayList<>();
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        int i = at[0]++;
        String alias = keys[i].equals(f.getName()) ? null : keys[i];
        boolean same = Objects.equals(alias, f.getAlias()) && subs[i] == f.getSelectionSet();
        out.add(same ? f : f.transform(b -> b.alias(alias).selectionSet(subs[i])));
      } else if (s instanceof InlineFragment i) {
        out.add(i.transform(b -> b.selectionSet(rebuild(i.getSelectionSet(), keys, subs, at))));
      } else out.add(s);
    }
    return new SelectionSet(out);
  }

  /** Fields with equal signatures can share a response key in one document. */
  private String signature(Occurrence o) {
    Field f = o.field;
    StringBuilder sb = new StringBuilder(f.getName());
    if (!f.getArguments().isEmpty()) {
      sb.append(AstPrinter.printAstCompact(new Field("", f.getArguments())));
    }
    String type = type(o);
    // composite fields merge whatever their named types (the sub-selections are checked instead)
    if (o.field.getSelectionSet() != null) type = type.replaceAll("[_A-Za-z0-9]+", "{}");
    return sb.append(':').append(type).toString();
  }

  private String type(Occurrence o) {
    if (o.field.getName().equals("__typename")) return "String!";
    Supergraph.TypeInfo t = supergraph.type(o.parentType);
    Supergraph.FieldInfo info = t == null ? null : t.fields().get(o.field.getName());
    if (info != null) return info.fullType(graph);
    GraphQLFieldDefinition def = definition(o);
    return def == null ? "?" : GraphQLTypeUtil.simplePrint(def.getType());
  }

  private String childType(Occurrence o) {
    Supergraph.TypeInfo t = supergraph.type(o.parentType);
    Supergraph.FieldInfo info = t == null ? null : t.fields().get(o.field.getName());
    if (info != null) return info.typeIn().getOrDefault(graph, info.typeName());
    GraphQLFieldDefinition def = definition(o);
    return def == null ? o.parentType : GraphQLTypeUtil.unwrapAll(def.getType()).getName();
  }

  private GraphQLFieldDefinition definition(Occurrence o) {
    return schema.getType(o.parentType) instanceof GraphQLFieldsContainer c
        ? c.getFieldDefinition(o.field.getName())
        : null;
  }
}
