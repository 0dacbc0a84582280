package io.retain.gateway.execute;

import io.retain.gateway.plan.ResponseKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges subgraph answers into the response being built. Not synchronized itself: the caller holds
 * the lock of the response it merges into (one lock per response, none shared across requests).
 */
final class ResponseMerger {

  private final Set<String> abstractTypes;

  /**
   * @param abstractTypes interface and union names: an {@code @interfaceObject} graph answers
   *     {@code __typename} with the interface's name, which must not replace a concrete one
   */
  ResponseMerger(Set<String> abstractTypes) {
    this.abstractTypes = abstractTypes;
  }

  /** Merges an answer object into {@code into}, mapping generated aliases back when needed. */
  void mergeAnswer(Map<String, Object> into, Map<?, ?> answer, boolean aliased) {
    merge(into, cast(aliased ? (Map<?, ?>) unalias(answer) : answer));
  }

  /** Deep merge: objects field by field, equal-length lists element-wise; null never overwrites. */
  @SuppressWarnings("unchecked")
  void merge(Map<String, Object> into, Map<String, Object> from) {
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
  static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
