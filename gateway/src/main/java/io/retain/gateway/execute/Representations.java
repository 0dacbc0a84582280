package io.retain.gateway.execute;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import io.retain.gateway.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Finds an entity step's objects in the merged result and builds their representations. */
final class Representations {

  private final Set<String> abstractTypes;

  /**
   * @param abstractTypes interface and union names: fragments on them match any object
   */
  Representations(Set<String> abstractTypes) {
    this.abstractTypes = abstractTypes;
  }

  /**
   * The objects at {@code step}'s path below {@code anchors} whose type it applies to and whose
   * representation is complete, with those representations; null when there is none.
   */
  EntitiesRequest.@Nullable Part part(Step step, List<Anchor> anchors) {
    List<Anchor> objs = new ArrayList<>();
    for (Anchor a : anchors) collect(a.obj(), a.path(), step.path(), 0, objs);
    List<Anchor> entities = new ArrayList<>();
    List<Map<String, Object>> reps = new ArrayList<>();
    for (Anchor o : objs) {
      Object tn = o.obj().get("__typename");
      if (tn == null || !step.concreteTypes().contains(tn)) continue;
      Map<String, Object> rep = new LinkedHashMap<>();
      rep.put(
          "__typename", step.representationTypename() == null ? tn : step.representationTypename());
      if (!extract(o.obj(), step.representation(), rep)) continue;
      entities.add(o);
      reps.add(rep);
    }
    return entities.isEmpty() ? null : new EntitiesRequest.Part(step, entities, reps);
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
      out.add(new Anchor(ResponseMerger.cast(m), at));
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
      // a required field with arguments is fetched under an alias (see FieldSets.required)
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
      extract(ResponseMerger.cast(m), fs, r);
      return r;
    }
    return v;
  }
}
