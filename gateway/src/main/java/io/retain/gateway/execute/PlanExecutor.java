package io.retain.gateway.execute;

import graphql.GraphQLError;
import graphql.language.*;
import io.retain.gateway.plan.ResponseKeys;
import io.retain.gateway.plan.Step;
import java.util.*;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Runs a plan: root fetches, then one batched {@code _entities} request per subgraph per level. */
public final class PlanExecutor {

  private final Function<String, SubgraphClient> clients;
  private final Set<String> abstractTypes;

  /**
   * @param abstractTypes interface and union names: an {@code @interfaceObject} graph answers
   *     {@code __typename} with the interface's name, which must not replace a concrete one
   */
  public PlanExecutor(Function<String, SubgraphClient> clients, Set<String> abstractTypes) {
    this.clients = clients;
    this.abstractTypes = abstractTypes;
  }

  /** Objects found in the merged result together with their response path. */
  private record Anchor(Map<String, Object> obj, List<Object> path) {}

  private record Work(Step step, List<Anchor> anchors) {}

  /** Executes root steps (serially for mutations) and every entity level below them. */
  public CompletableFuture<Map<String, Object>> execute(
      List<Step> roots,
      OperationDefinition op,
      Map<String, Object> variables,
      String auth,
      List<GraphQLError> errors,
      boolean serial) {
    Map<String, Object> data = Collections.synchronizedMap(new LinkedHashMap<>());
    Anchor root = new Anchor(data, List.of());
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    List<CompletableFuture<Void>> parallel = new ArrayList<>();
    for (Step s : roots) {
      String opKw =
          op.getOperation() == OperationDefinition.Operation.MUTATION ? "mutation" : "query";
      String body = s.printedSelection();
      String doc = opKw + varDefs(op, body, "") + " " + body;
      java.util.function.Supplier<CompletableFuture<Void>> run =
          () ->
              clients
                  .apply(s.graph)
                  .execute(doc, usedVars(op, body, variables), auth)
                  .thenAccept(
                      resp -> {
                        synchronized (data) {
                          if (resp.get("data") instanceof Map<?, ?> m) {
                            merge(data, cast(s.aliased ? (Map<?, ?>) unalias(m) : m));
                          }
                        }
                        addErrors(resp, errors, p -> p, rootPaths(s));
                      });
      if (serial) done = done.thenCompose(v -> run.get());
      else parallel.add(run.get());
    }
    CompletableFuture<Void> rootsDone =
        serial ? done : CompletableFuture.allOf(parallel.toArray(CompletableFuture[]::new));
    return rootsDone
        .thenCompose(
            v -> {
              List<Work> level = new ArrayList<>();
              for (Step s : roots) for (Step c : s.children) level.add(new Work(c, List.of(root)));
              return runLevel(level, op, variables, auth, errors);
            })
        .thenApply(v -> data);
  }

  /** One subscription event after its entity fields were filled in. */
  public record Event(Map<String, Object> data, List<GraphQLError> errors) {}

  /**
   * Subscribes on the root step's subgraph and, for each event it sends, runs the entity levels
   * below (one batched {@code _entities} request per subgraph per level, as for a query), events in
   * order.
   */
  public reactor.core.publisher.Flux<Event> subscribe(
      Step root, OperationDefinition op, Map<String, Object> variables, String auth) {
    String body = root.printedSelection();
    String doc = "subscription" + varDefs(op, body, "") + " " + body;
    return clients
        .apply(root.graph)
        .subscribe(doc, usedVars(op, body, variables), auth)
        .concatMap(
            resp -> {
              Map<String, Object> data = Collections.synchronizedMap(new LinkedHashMap<>());
              if (resp.get("data") instanceof Map<?, ?> m) {
                merge(data, cast(root.aliased ? (Map<?, ?>) unalias(m) : m));
              }
              List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
              addErrors(resp, errors, p -> p, rootPaths(root));
              List<Work> level = new ArrayList<>();
              Anchor top = new Anchor(data, List.of());
              for (Step c : root.children) level.add(new Work(c, List.of(top)));
              return reactor.core.publisher.Mono.fromFuture(
                      () -> runLevel(level, op, variables, auth, errors))
                  .thenReturn(new Event(data, errors));
            });
  }

  /**
   * Runs a level and everything below it. Steps marked {@link Step#afterSiblings} wait until their
   * siblings' subtrees are done: those fill the fields their representations need.
   */
  private CompletableFuture<Void> runLevel(
      List<Work> level,
      OperationDefinition op,
      Map<String, Object> variables,
      String auth,
      List<GraphQLError> errors) {
    if (level.isEmpty()) return CompletableFuture.completedFuture(null);
    List<Work> now = new ArrayList<>();
    List<Work> later = new ArrayList<>();
    for (Work w : level) (w.step.afterSiblings ? later : now).add(w);
    CompletableFuture<Void> first =
        fetchLevel(now, op, variables, auth, errors)
            .thenCompose(next -> runLevel(next, op, variables, auth, errors));
    if (later.isEmpty()) return first;
    return first.thenCompose(
        v ->
            fetchLevel(later, op, variables, auth, errors)
                .thenCompose(next -> runLevel(next, op, variables, auth, errors)));
  }

  /** One batched request per subgraph for a level's steps; gives the next level's work. */
  private CompletableFuture<List<Work>> fetchLevel(
      List<Work> level,
      OperationDefinition op,
      Map<String, Object> variables,
      String auth,
      List<GraphQLError> errors) {
    if (level.isEmpty()) return CompletableFuture.completedFuture(List.of());
    Map<String, List<Object[]>> byGraph = new LinkedHashMap<>();
    for (Work w : level) {
      List<Anchor> objs = new ArrayList<>();
      for (Anchor a : w.anchors) collect(a.obj, a.path, w.step.path, 0, objs);
      List<Anchor> entities = new ArrayList<>();
      List<Map<String, Object>> reps = new ArrayList<>();
      for (Anchor o : objs) {
        Object tn = o.obj.get("__typename");
        if (tn == null || !w.step.concreteTypes.contains(tn)) continue;
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put(
            "__typename",
            w.step.representationTypename == null ? tn : w.step.representationTypename);
        if (!extract(o.obj, w.step.representation, rep)) continue;
        entities.add(o);
        reps.add(rep);
      }
      if (!entities.isEmpty()) {
        byGraph
            .computeIfAbsent(w.step.graph, k -> new ArrayList<>())
            .add(new Object[] {w.step, entities, reps});
      }
    }
    List<CompletableFuture<List<Work>>> calls = new ArrayList<>();
    for (Map.Entry<String, List<Object[]>> e : byGraph.entrySet()) {
      StringBuilder sel = new StringBuilder("{");
      Map<String, Object> vars = new LinkedHashMap<>();
      StringBuilder defs = new StringBuilder();
      List<Object[]> parts = e.getValue();
      for (int i = 0; i < parts.size(); i++) {
        Step s = (Step) parts.get(i)[0];
        vars.put("r" + i, parts.get(i)[2]);
        defs.append(i == 0 ? "" : ",").append("$r").append(i).append(":[_Any!]!");
        sel.append(" r").append(i).append(":_entities(representations:$r").append(i).append("){");
        sel.append("__typename ... on ").append(s.typeName).append(" ");
        sel.append(s.printedSelection()).append("}");
      }
      sel.append("}");
      String body = sel.toString();
      String doc = "query" + varDefs(op, body, defs.toString()) + body;
      vars.putAll(usedVars(op, body, variables));
      calls.add(
          clients
              .apply(e.getKey())
              .execute(doc, vars, auth)
              .thenApply(
                  resp -> {
                    List<Work> next = new ArrayList<>();
                    Map<String, Object> d =
                        resp.get("data") instanceof Map<?, ?> m ? cast(m) : Map.of();
                    for (int i = 0; i < parts.size(); i++) {
                      Step s = (Step) parts.get(i)[0];
                      @SuppressWarnings("unchecked")
                      List<Anchor> ents = (List<Anchor>) parts.get(i)[1];
                      if (d.get("r" + i) instanceof List<?> results) {
                        for (int j = 0; j < results.size() && j < ents.size(); j++) {
                          if (results.get(j) instanceof Map<?, ?> m) {
                            synchronized (PlanExecutor.class) {
                              merge(ents.get(j).obj, cast(s.aliased ? (Map<?, ?>) unalias(m) : m));
                            }
                          }
                        }
                      }
                      for (Step c : s.children) next.add(new Work(c, ents));
                    }
                    List<List<Object>> unavailablePaths = new ArrayList<>();
                    for (Object[] part : parts) {
                      @SuppressWarnings("unchecked")
                      List<Anchor> ents = (List<Anchor>) part[1];
                      unavailablePaths.add(commonPrefix(ents));
                    }
                    addErrors(
                        resp,
                        errors,
                        p -> {
                          if (p.size() >= 2
                              && p.get(0) instanceof String alias
                              && alias.startsWith("r")
                              && p.get(1) instanceof Number n) {
                            int idx = Integer.parseInt(alias.substring(1));
                            @SuppressWarnings("unchecked")
                            List<Anchor> ents = (List<Anchor>) parts.get(idx)[1];
                            if (n.intValue() < ents.size()) {
                              List<Object> out = new ArrayList<>(ents.get(n.intValue()).path);
                              out.addAll(p.subList(2, p.size()));
                              return out;
                            }
                          }
                          return null;
                        },
                        unavailablePaths);
                    return next;
                  }));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Work> next = new ArrayList<>();
              for (CompletableFuture<List<Work>> c : calls) next.addAll(c.join());
              return next;
            });
  }

  private static void collect(
      Object node, List<Object> at, List<String> path, int i, List<Anchor> out) {
    if (node == null) return;
    if (node instanceof List<?> l) {
      for (int k = 0; k < l.size(); k++) {
        List<Object> p = new ArrayList<>(at);
        p.add(k);
        collect(l.get(k), p, path, i, out);
      }
      return;
    }
    if (!(node instanceof Map<?, ?> m)) return;
    if (i == path.size()) {
      out.add(new Anchor(cast(m), at));
      return;
    }
    List<Object> p = new ArrayList<>(at);
    p.add(path.get(i));
    collect(m.get(path.get(i)), p, path, i + 1, out);
  }

  private boolean extract(Map<String, Object> obj, SelectionSet fs, Map<String, Object> rep) {
    for (Selection<?> s : fs.getSelections()) {
      if (s instanceof InlineFragment i) {
        // a fragment of a required field set: its fields, where the object can match it
        TypeName tc = i.getTypeCondition();
        if (tc == null
            || tc.getName().equals(obj.get("__typename"))
            || abstractTypes.contains(tc.getName())) extract(obj, i.getSelectionSet(), rep);
        continue;
      }
      if (!(s instanceof Field f)) continue;
      // a required field with arguments is fetched under an alias (see QueryPlanner.requiredSet)
      if (!obj.containsKey(f.getResultKey())) return false;
      Object v = obj.get(f.getResultKey());
      rep.put(f.getName(), f.getSelectionSet() == null ? v : sub(v, f.getSelectionSet()));
    }
    return true;
  }

  private Object sub(Object v, SelectionSet fs) {
    if (v instanceof List<?> l) return l.stream().map(x -> sub(x, fs)).toList();
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> r = new LinkedHashMap<>();
      if (m.get("__typename") != null) r.put("__typename", m.get("__typename"));
      extract(cast(m), fs, r);
      return r;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private void merge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      String key = e.getKey();
      Object cur = into.get(key);
      Object val = e.getValue();
      if (cur != null && key.equals("__typename") && abstractTypes.contains(val)) continue;
      if (cur instanceof Map<?, ?> a && val instanceof Map<?, ?> b) {
        merge((Map<String, Object>) a, (Map<String, Object>) b);
      } else if (cur instanceof List<?> a && val instanceof List<?> b && a.size() == b.size()) {
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i) instanceof Map<?, ?> x && b.get(i) instanceof Map<?, ?> y) {
            merge((Map<String, Object>) x, (Map<String, Object>) y);
          }
        }
      } else if (!(cur != null && val == null)) {
        into.put(key, val);
      }
    }
  }

  /** A subgraph answer with the plan's generated aliases turned back into response keys. */
  private Object unalias(Object v) {
    if (v instanceof List<?> l) return l.stream().map(this::unalias).toList();
    if (!(v instanceof Map<?, ?> m)) return v;
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, x) -> {
          // two keys of one response key (fragments on overlapping types) merge as objects do
          Map<String, Object> one = new LinkedHashMap<>();
          one.put(ResponseKeys.original((String) k), unalias(x));
          merge(out, one);
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The response keys of a root fetch: where its errors land when the subgraph is down. */
  private static List<List<Object>> rootPaths(Step s) {
    List<List<Object>> out = new ArrayList<>();
    for (Selection<?> sel : s.selection.getSelections()) {
      if (sel instanceof Field f) out.add(List.of(f.getResultKey()));
    }
    return out;
  }

  /** The deepest path shared by a level's entities (e.g. ["customers", "edges"] for a list). */
  private static List<Object> commonPrefix(List<Anchor> anchors) {
    List<Object> prefix = new ArrayList<>(anchors.get(0).path);
    for (Anchor a : anchors) {
      int n = 0;
      while (n < prefix.size() && n < a.path.size() && prefix.get(n).equals(a.path.get(n))) n++;
      prefix.subList(n, prefix.size()).clear();
    }
    return prefix;
  }

  /**
   * Adds a subgraph's errors with client paths. An error without a path that says the subgraph was
   * unavailable is reported once per place its data would have gone ({@code unpathed}).
   */
  private static void addErrors(
      Map<String, Object> resp,
      List<GraphQLError> errors,
      Function<List<Object>, List<Object>> repath,
      List<List<Object>> unpathed) {
    if (!(resp.get("errors") instanceof List<?> l)) return;
    for (Object o : l) {
      if (!(o instanceof Map<?, ?> m)) continue;
      List<List<Object>> paths = new ArrayList<>();
      if (m.get("path") instanceof List<?> p) {
        paths.add(repath.apply(new ArrayList<>(p)));
      } else if (m.get("extensions") instanceof Map<?, ?> ext
          && SubgraphClient.failedCall(ext.get("code"))) {
        paths.addAll(unpathed);
      }
      if (paths.isEmpty()) paths.add(null);
      for (List<Object> path : paths) {
        GraphQLError e =
            new RemoteError(
                String.valueOf(m.get("message")),
                path,
                m.get("extensions") instanceof Map<?, ?> ext ? cast(ext) : null);
        synchronized (errors) {
          errors.add(e);
        }
      }
    }
  }

  private static String varDefs(OperationDefinition op, String body, String extra) {
    StringBuilder sb = new StringBuilder(extra);
    for (VariableDefinition vd : op.getVariableDefinitions()) {
      if (uses(body, vd.getName())) {
        if (!sb.isEmpty()) sb.append(",");
        sb.append("$").append(vd.getName()).append(":").append(AstPrinter.printAst(vd.getType()));
        // the default keeps a nullable variable valid where a non-null value is expected
        if (vd.getDefaultValue() != null) {
          sb.append("=").append(AstPrinter.printAst(vd.getDefaultValue()));
        }
      }
    }
    return sb.isEmpty() ? "" : "(" + sb + ")";
  }

  private static Map<String, Object> usedVars(
      OperationDefinition op, String body, Map<String, Object> variables) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (VariableDefinition vd : op.getVariableDefinitions()) {
      if (uses(body, vd.getName()) && variables.containsKey(vd.getName())) {
        out.put(vd.getName(), variables.get(vd.getName()));
      }
    }
    return out;
  }

  /** Whether {@code $var} (not a longer name starting with it) occurs; per fetch, so no regex. */
  private static boolean uses(String body, String var) {
    String ref = "$" + var;
    for (int i = body.indexOf(ref); i >= 0; i = body.indexOf(ref, i + 1)) {
      int end = i + ref.length();
      if (end == body.length() || !nameChar(body.charAt(end))) return true;
    }
    return false;
  }

  private static boolean nameChar(char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
