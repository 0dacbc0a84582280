package io.retain.gateway.execute;

import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.*;
import graphql.schema.*;
import java.util.*;

/**
 * Completes a query's response from the merged subgraph data the way GraphQL execution would (spec
 * "CompleteValue"): fields collected per concrete type through fragments, {@code @skip} and
 * {@code @include}; aliases; {@code __typename}; leaf values serialized by the client schema's
 * scalars and enums; a null in a non-null position nulls the nearest nullable parent, with one
 * error. It stands in for graphql-java's execution of queries, so that a known query is completed
 * without a data fetcher and instrumentation per field (the cost is recorded in
 * docs/benchmarks/README.md); {@code ResultShaperTest} checks both give the same answers.
 */
final class ResultShaper {

  /** A null that must propagate to the nearest nullable parent. */
  private static final Object BUBBLE = new Object();

  /** A null whose error is already recorded (no second error if the position is non-null). */
  private static final Object FAILED = new Object();

  private static final GraphQLContext CONTEXT = GraphQLContext.getDefault();

  private final GraphQLSchema schema;
  private final Map<String, FragmentDefinition> fragments;
  private final Map<String, Object> variables;
  private final List<GraphQLError> errors;
  private final Map<Collected, Map<String, List<Field>>> collected = new HashMap<>();

  private record Collected(GraphQLFieldsContainer type, List<Field> fields) {}

  /** A response path, built only when an error needs it. */
  private record Path(Path parent, Object segment) {
    List<Object> toList() {
      LinkedList<Object> out = new LinkedList<>();
      for (Path p = this; p != null; p = p.parent) out.addFirst(p.segment);
      return new ArrayList<>(out);
    }
  }

  /**
   * @param variables coerced variable values (defaults applied): {@code @skip}/{@code @include}
   * @param errors where completion errors are added
   */
  ResultShaper(
      GraphQLSchema schema,
      Map<String, FragmentDefinition> fragments,
      Map<String, Object> variables,
      List<GraphQLError> errors) {
    this.schema = schema;
    this.fragments = fragments;
    this.variables = variables;
    this.errors = errors;
  }

  /** The response's {@code data} for an operation on {@code root}; null if a root field bubbled. */
  Map<String, Object> shape(GraphQLObjectType root, SelectionSet selection, Map<String, ?> data) {
    Map<String, List<Field>> fields = new LinkedHashMap<>();
    collect(root, selection, fields, new HashSet<>());
    Object out = completeObject(root, fields, data, null);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = out == BUBBLE ? null : (Map<String, Object>) out;
    return map;
  }

  private Object completeObject(
      GraphQLFieldsContainer type, Map<String, List<Field>> fields, Map<?, ?> src, Path path) {
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, fields.size() * 2));
    boolean bubbled = false; // siblings still complete, as in graphql-java, so their errors show
    for (Map.Entry<String, List<Field>> e : fields.entrySet()) {
      String key = e.getKey();
      Field f = e.getValue().get(0);
      if (f.getName().equals("__typename")) {
        out.put(key, type.getName());
        continue;
      }
      GraphQLFieldDefinition def = type.getFieldDefinition(f.getName());
      Object value = complete(def.getType(), e.getValue(), src.get(key), new Path(path, key));
      bubbled |= value == BUBBLE;
      out.put(key, value);
    }
    return bubbled ? BUBBLE : out;
  }

  /** A completed value, or {@link #BUBBLE} when a non-null position got null. */
  private Object complete(GraphQLOutputType type, List<Field> fields, Object value, Path path) {
    if (type instanceof GraphQLNonNull nn) {
      Object c = completeNullable((GraphQLOutputType) nn.getWrappedType(), fields, value, path);
      if (c == null) {
        errors.add(nonNull(path, fields.get(0), nn));
        return BUBBLE;
      }
      return c == FAILED ? BUBBLE : c;
    }
    Object c = completeNullable(type, fields, value, path);
    return c == BUBBLE || c == FAILED ? null : c;
  }

  private Object completeNullable(
      GraphQLOutputType type, List<Field> fields, Object value, Path path) {
    if (value == null) return null;
    if (type instanceof GraphQLList list) {
      if (!(value instanceof List<?> items)) {
        return fail(path, fields, "Expected a list at " + render(path));
      }
      GraphQLOutputType item = (GraphQLOutputType) list.getWrappedType();
      List<Object> out = new ArrayList<>(items.size());
      boolean bubbled = false;
      for (int i = 0; i < items.size(); i++) {
        Object c = complete(item, fields, items.get(i), new Path(path, i));
        bubbled |= c == BUBBLE;
        out.add(c);
      }
      return bubbled ? BUBBLE : out;
    }
    if (type instanceof GraphQLScalarType scalar) {
      try {
        return scalar.getCoercing().serialize(value, CONTEXT, Locale.getDefault());
      } catch (RuntimeException e) {
        return fail(
            path, fields, "Can't serialize value (" + render(path) + ") : " + e.getMessage());
      }
    }
    if (type instanceof GraphQLEnumType en) {
      try {
        return en.serialize(value, CONTEXT, Locale.getDefault());
      } catch (RuntimeException e) {
        return fail(
            path, fields, "Can't serialize value (" + render(path) + ") : " + e.getMessage());
      }
    }
    if (!(value instanceof Map<?, ?> obj)) {
      return fail(path, fields, "Expected an object at " + render(path));
    }
    GraphQLFieldsContainer concrete;
    if (type instanceof GraphQLObjectType o) {
      concrete = o;
    } else if (type instanceof GraphQLInterfaceType i
        && i.getName().equals(obj.get("__typename"))
        && schema.getImplementations(i).isEmpty()) {
      // an @interfaceObject's value of an interface no object type implements: nothing more
      // exact exists, so its own fields are completed
      concrete = i;
    } else {
      // a typename that is no object type here (an @interfaceObject's interface name, a type
      // the client schema does not have) resolves to nothing
      GraphQLObjectType o =
          obj.get("__typename") instanceof String t
                  && schema.getType(t) instanceof GraphQLObjectType x
              ? x
              : null;
      concrete = o;
      if (o == null || !schema.isPossibleType((GraphQLNamedType) type, o)) {
        return fail(
            path,
            fields,
            "Could not determine the exact type of '"
                + ((GraphQLNamedType) type).getName()
                + "' at "
                + render(path));
      }
    }
    Map<String, List<Field>> sub =
        collected.computeIfAbsent(
            new Collected(concrete, fields),
            k -> {
              Map<String, List<Field>> m = new LinkedHashMap<>();
              Set<String> visited = new HashSet<>();
              for (Field f : fields) {
                if (f.getSelectionSet() != null) collect(concrete, f.getSelectionSet(), m, visited);
              }
              return m;
            });
    return completeObject(concrete, sub, obj, path);
  }

  /** CollectFields: response key → the fields sharing it, in document order. */
  private void collect(
      GraphQLFieldsContainer type,
      SelectionSet selection,
      Map<String, List<Field>> out,
      Set<String> visited) {
    for (Selection<?> s : selection.getSelections()) {
      if (!(s instanceof DirectivesContainer<?> d) || !included(d.getDirectives())) continue;
      if (s instanceof Field f) {
        out.computeIfAbsent(f.getResultKey(), k -> new ArrayList<>(1)).add(f);
      } else if (s instanceof FragmentSpread spread) {
        if (!visited.add(spread.getName())) continue;
        FragmentDefinition def = fragments.get(spread.getName());
        if (def != null && applies(type, def.getTypeCondition())) {
          collect(type, def.getSelectionSet(), out, visited);
        }
      } else if (s instanceof InlineFragment inline
          && (inline.getTypeCondition() == null || applies(type, inline.getTypeCondition()))) {
        collect(type, inline.getSelectionSet(), out, visited);
      }
    }
  }

  private boolean applies(GraphQLFieldsContainer type, TypeName condition) {
    if (condition.getName().equals(type.getName())) return true;
    if (type instanceof GraphQLInterfaceType i) {
      return i.getInterfaces().stream().anyMatch(x -> x.getName().equals(condition.getName()));
    }
    return schema.getType(condition.getName()) instanceof GraphQLNamedOutputType t
        && (t instanceof GraphQLInterfaceType || t instanceof GraphQLUnionType)
        && schema.isPossibleType(t, (GraphQLObjectType) type);
  }

  private boolean included(List<Directive> directives) {
    for (Directive d : directives) {
      if (d.getName().equals("skip") && condition(d)) return false;
      if (d.getName().equals("include") && !condition(d)) return false;
    }
    return true;
  }

  private boolean condition(Directive d) {
    Argument arg = d.getArgument("if");
    if (arg == null) return false;
    if (arg.getValue() instanceof BooleanValue b) return b.isValue();
    if (arg.getValue() instanceof VariableReference v) {
      return Boolean.TRUE.equals(variables.get(v.getName()));
    }
    return false;
  }

  private Object fail(Path path, List<Field> fields, String message) {
    errors.add(error(message, path, fields.get(0)));
    return FAILED;
  }

  private static GraphQLError nonNull(Path path, Field field, GraphQLNonNull type) {
    return error(
        "The field at path '"
            + render(path)
            + "' was declared as a non null type, but the code involved in retrieving data has"
            + " wrongly returned a null value. The non-nullable type is '"
            + GraphQLTypeUtil.simplePrint(type.getWrappedType())
            + "'",
        path,
        field);
  }

  private static GraphQLError error(String message, Path path, Field field) {
    GraphqlErrorBuilder<?> b = GraphqlErrorBuilder.newError().message(message);
    if (path != null) b.path(path.toList());
    if (field.getSourceLocation() != null) b.location(field.getSourceLocation());
    return b.build();
  }

  private static String render(Path path) {
    StringBuilder sb = new StringBuilder();
    for (Object s : path == null ? List.of() : path.toList()) sb.append('/').append(s);
    return sb.toString();
  }
}
