package io.retain.gateway.execute;

import graphql.GraphQLContext;
import graphql.language.*;
import graphql.schema.*;
import graphql.schema.idl.*;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The executable client schema over a supergraph's client SDL: every field reads its value by
 * response key from the merged JSON, root fields from {@code rootFetcher}; abstract types resolve
 * by {@code __typename}; custom scalars pass through as the subgraphs sent them.
 */
final class ClientSchemaFactory {

  private ClientSchemaFactory() {}

  static GraphQLSchema build(Document doc, DataFetcher<Object> rootFetcher) {
    TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(doc);
    RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
    Set<String> builtIn = Set.of("String", "Int", "Float", "Boolean", "ID");
    for (ScalarTypeDefinition s : registry.scalars().values()) {
      if (!builtIn.contains(s.getName())) wiring.scalar(passThrough(s.getName()));
    }
    DataFetcher<Object> byKey =
        env -> {
          Object src = env.getSource();
          if (src instanceof Map<?, ?> m) return m.get(env.getField().getResultKey());
          return rootFetcher.get(env);
        };
    TypeResolver byTypename =
        env -> {
          Object o = env.getObject();
          if (o instanceof Map<?, ?> m
              && m.get("__typename") instanceof String t
              && env.getSchema().getType(t) instanceof GraphQLObjectType type) {
            return type;
          }
          return null; // e.g. an @interfaceObject's interface name: an error, not an exception
        };
    wiring.wiringFactory(
        new WiringFactory() {
          @Override
          public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
            return true;
          }

          @Override
          public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
            return byTypename;
          }

          @Override
          public boolean providesTypeResolver(UnionWiringEnvironment environment) {
            return true;
          }

          @Override
          public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
            return byTypename;
          }

          @Override
          public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            return byKey;
          }
        });
    return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
  }

  private static GraphQLScalarType passThrough(String name) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(
            new Coercing<Object, Object>() {
              @Override
              public Object serialize(Object v, GraphQLContext c, Locale l) {
                return v;
              }

              @Override
              public Object parseValue(Object v, GraphQLContext c, Locale l) {
                return v;
              }

              @Override
              public Object parseLiteral(
                  Value<?> v, graphql.execution.CoercedVariables vars, GraphQLContext c, Locale l) {
                return literal(v, vars.toMap());
              }
            })
        .build();
  }

  static Object literal(Value<?> v, Map<String, Object> vars) {
    if (v instanceof StringValue s) return s.getValue();
    if (v instanceof IntValue i) return i.getValue();
    if (v instanceof FloatValue f) return f.getValue();
    if (v instanceof BooleanValue b) return b.isValue();
    if (v instanceof EnumValue e) return e.getName();
    if (v instanceof VariableReference r) return vars.get(r.getName());
    if (v instanceof ArrayValue a)
      return a.getValues().stream().map(x -> literal(x, vars)).toList();
    if (v instanceof ObjectValue o) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (ObjectField f : o.getObjectFields()) m.put(f.getName(), literal(f.getValue(), vars));
      return m;
    }
    return null;
  }
}
