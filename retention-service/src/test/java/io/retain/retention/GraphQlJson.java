package io.retain.retention;

import java.util.List;
import java.util.Map;

/** Reads a GraphQL JSON answer by a dotted path such as {@code data.campaigns.edges.0.node.id}. */
public final class GraphQlJson {

  private GraphQlJson() {}

  @SuppressWarnings("unchecked")
  public static <T> T at(Object json, String path) {
    Object cur = json;
    for (String p : path.split("\\.")) {
      cur =
          p.matches("\\d+")
              ? ((List<Object>) cur).get(Integer.parseInt(p))
              : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }
}
