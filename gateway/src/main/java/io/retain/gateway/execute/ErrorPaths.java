package io.retain.gateway.execute;

import graphql.GraphQLError;
import graphql.language.Field;
import graphql.language.Selection;
import io.retain.gateway.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Subgraph errors re-pathed to where the client sees the data they concern. */
final class ErrorPaths {

  private ErrorPaths() {}

  /**
   * Adds a subgraph's errors with client paths. An error without a path that says the subgraph was
   * unavailable is reported once per place its data would have gone ({@code unpathed}).
   */
  static void addErrors(
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
          && SubgraphClient.UNAVAILABLE.equals(ext.get("code"))) {
        paths.addAll(unpathed);
      }
      if (paths.isEmpty()) paths.add(null);
      for (List<Object> path : paths) {
        GraphQLError e =
            new RemoteError(
                String.valueOf(m.get("message")),
                path,
                m.get("extensions") instanceof Map<?, ?> ext ? ResponseMerger.cast(ext) : null);
        synchronized (errors) {
          errors.add(e);
        }
      }
    }
  }

  /** The response keys of a root fetch: where its errors land when the subgraph is down. */
  static List<List<Object>> rootPaths(Step s) {
    List<List<Object>> out = new ArrayList<>();
    for (Selection<?> sel : s.selection().getSelections()) {
      if (sel instanceof Field f) out.add(List.of(f.getResultKey()));
    }
    return out;
  }

  /** The deepest path shared by a level's entities (e.g. ["customers", "edges"] for a list). */
  static List<Object> commonPrefix(List<Anchor> anchors) {
    List<Object> prefix = new ArrayList<>(anchors.get(0).path());
    for (Anchor a : anchors) {
      int n = 0;
      while (n < prefix.size() && n < a.path().size() && prefix.get(n).equals(a.path().get(n))) n++;
      prefix.subList(n, prefix.size()).clear();
    }
    return prefix;
  }
}
