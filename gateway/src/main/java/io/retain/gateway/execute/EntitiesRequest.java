package io.retain.gateway.execute;

import graphql.language.OperationDefinition;
import io.retain.gateway.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One batched request to one subgraph for a level: an {@code _entities} field per step, aliased
 * {@code r0}, {@code r1}, …, each with its objects' representations as variable {@code $r<i>}.
 */
final class EntitiesRequest {

  /** One step's share: the objects it continues from and their representations, in order. */
  record Part(Step step, List<Anchor> entities, List<Map<String, Object>> representations) {}

  private final List<Part> parts;
  private final String body;
  private final String definitions;

  EntitiesRequest(List<Part> parts) {
    this.parts = List.copyOf(parts);
    StringBuilder sel = new StringBuilder("{");
    StringBuilder defs = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      Step s = parts.get(i).step();
      defs.append(i == 0 ? "" : ",").append("$r").append(i).append(":[_Any!]!");
      sel.append(" r").append(i).append(":_entities(representations:$r").append(i).append("){");
      sel.append("__typename ... on ").append(s.typeName()).append(" ");
      sel.append(s.printedSelection()).append("}");
    }
    sel.append("}");
    this.body = sel.toString();
    this.definitions = defs.toString();
  }

  List<Part> parts() {
    return parts;
  }

  /** The document, declaring the representations and the client variables the body uses. */
  String document(OperationDefinition op) {
    return "query" + OperationVariables.definitions(op, body, definitions) + body;
  }

  /** The representations, then the client variables the body uses. */
  Map<String, Object> variables(OperationDefinition op, Map<String, Object> clientVariables) {
    Map<String, Object> vars = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) vars.put("r" + i, parts.get(i).representations());
    vars.putAll(OperationVariables.used(op, body, clientVariables));
    return vars;
  }

  /** The names of the representation variables, {@code r0} … in part order. */
  List<String> representationVariables() {
    List<String> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) out.add("r" + i);
    return out;
  }

  /** The answer list of part {@code i}, or null when the subgraph gave none. */
  static @Nullable List<?> results(Map<String, Object> data, int i) {
    return data.get("r" + i) instanceof List<?> results ? results : null;
  }

  /**
   * The client path of an error path in this request's answer ({@code ["r1", 3, "name"]} → the path
   * of part 1's fourth object, then {@code "name"}), or null when it points at no object.
   */
  @Nullable List<Object> clientPath(List<Object> p) {
    if (p.size() >= 2
        && p.get(0) instanceof String alias
        && alias.startsWith("r")
        && p.get(1) instanceof Number n) {
      int idx = Integer.parseInt(alias.substring(1));
      List<Anchor> ents = parts.get(idx).entities();
      if (n.intValue() < ents.size()) {
        List<Object> out = new ArrayList<>(ents.get(n.intValue()).path());
        out.addAll(p.subList(2, p.size()));
        return out;
      }
    }
    return null;
  }

  /** Per part, the deepest path its objects share: where errors without a path land. */
  List<List<Object>> unavailablePaths() {
    List<List<Object>> out = new ArrayList<>();
    for (Part part : parts) out.add(ErrorPaths.commonPrefix(part.entities()));
    return out;
  }
}
