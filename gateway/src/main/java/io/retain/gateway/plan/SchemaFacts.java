package io.retain.gateway.plan;

import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import io.retain.gateway.supergraph.Supergraph;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the supergraph and the client schema say about types and fields, as the planner asks. */
final class SchemaFacts {

  private final Supergraph supergraph;
  private final GraphQLSchema schema;

  SchemaFacts(Supergraph supergraph, GraphQLSchema schema) {
    this.supergraph = supergraph;
    this.schema = schema;
  }

  Supergraph supergraph() {
    return supergraph;
  }

  GraphQLSchema schema() {
    return schema;
  }

  /** The supergraph's record of {@code type.field}, or null. */
  Supergraph.@Nullable FieldInfo field(String type, String field) {
    Supergraph.TypeInfo t = supergraph.type(type);
    return t == null ? null : t.fields().get(field);
  }

  /** The client schema's definition of {@code type.field}, or null. */
  @Nullable GraphQLFieldDefinition definition(String type, String field) {
    GraphQLFieldsContainer container = (GraphQLFieldsContainer) schema.getType(type);
    return container == null ? null : container.getFieldDefinition(field);
  }

  /**
   * The named type below {@code parentType.field} in {@code graph}: the graph may declare a
   * narrower type (an object where the supergraph has a union).
   */
  String childType(String parentType, String field, String graph) {
    GraphQLFieldDefinition def = definition(parentType, field);
    String childType =
        def == null
            ? supergraph.type(parentType).fields().get(field).typeName()
            : GraphQLTypeUtil.unwrapAll(def.getType()).getName();
    Supergraph.FieldInfo declared = field(parentType, field);
    if (declared != null && declared.typeIn().get(graph) != null) {
      childType = declared.typeIn().get(graph);
    }
    return childType;
  }

  /** The {@code @requires} field set of {@code type.field} in {@code graph}, or null. */
  @Nullable String requires(String type, String field, String graph) {
    Supergraph.FieldInfo f = field(type, field);
    return f == null ? null : f.requires().get(graph);
  }

  /** Resolvable by the graph itself, or provided there by an enclosing {@code @provides}. */
  boolean local(String type, String field, String graph, @Nullable SelectionSet provided) {
    return supergraph.resolvable(type, field, graph)
        || FieldSets.provided(provided, type, field) != null;
  }

  /** True when the graph resolves every field of the field set. */
  boolean allResolvable(SelectionSet fs, String type, String graph) {
    for (Selection<?> s : fs.getSelections()) {
      if (s instanceof Field f && !supergraph.resolvable(type, f.getName(), graph)) return false;
    }
    return true;
  }

  /**
   * True when the graph resolves every field of the field set at every depth (a key's nested {@code
   * products { id pid }}), counting what an enclosing {@code @provides} gives it.
   */
  boolean allResolvableDeep(
      SelectionSet fs, String type, String graph, @Nullable SelectionSet provided) {
    for (Selection<?> s : fs.getSelections()) {
      if (s instanceof InlineFragment i) {
        String tc = i.getTypeCondition() == null ? type : i.getTypeCondition().getName();
        if (!allResolvableDeep(i.getSelectionSet(), tc, graph, provided)) return false;
      } else if (s instanceof Field f) {
        if (!local(type, f.getName(), graph, provided)) return false;
        if (f.getSelectionSet() == null || f.getName().startsWith("__")) continue;
        Field pf = FieldSets.provided(provided, type, f.getName());
        if (!allResolvableDeep(
            f.getSelectionSet(),
            childType(type, f.getName(), graph),
            graph,
            pf == null ? null : pf.getSelectionSet())) return false;
      }
    }
    return true;
  }

  /** The first owner with a key of the type (one an entity fetch can reach), else the first. */
  String pickOwner(String type, String field, String current) {
    List<String> owners = supergraph.owners(type, field);
    for (String o : owners) if (supergraph.key(type, o) != null) return o;
    return owners.isEmpty() ? current : owners.get(0);
  }

  /** The type and, for an abstract type with members, its object types. */
  Set<String> concrete(String type) {
    GraphQLType t = schema.getType(type);
    if (t instanceof GraphQLObjectType) return Set.of(type);
    Set<String> out = new HashSet<>();
    out.add(type);
    if (t instanceof GraphQLInterfaceType i) {
      for (GraphQLObjectType o : schema.getImplementations(i)) out.add(o.getName());
    } else if (t instanceof GraphQLUnionType u) {
      for (GraphQLNamedOutputType o : u.getTypes()) out.add(o.getName());
    }
    if (out.size() > 1) return out;
    return Set.of(type);
  }

  boolean abstractType(String type) {
    GraphQLType t = schema.getType(type);
    return t instanceof GraphQLInterfaceType || t instanceof GraphQLUnionType;
  }

  boolean unionType(String type) {
    return schema.getType(type) instanceof GraphQLUnionType;
  }

  boolean objectType(String type) {
    return schema.getType(type) instanceof GraphQLObjectType;
  }

  /** A graph holding the interface as a real interface with a resolvable key, or null. */
  @Nullable String realGraph(String type) {
    Supergraph.TypeInfo t = supergraph.type(type);
    if (t == null) return null;
    for (Supergraph.Key k : t.keys()) {
      if (k.resolvable() && !t.interfaceObjectIn().contains(k.graph())) return k.graph();
    }
    return null;
  }

  /**
   * For a field of an object type that no graph resolves on the type itself: the interface through
   * whose {@code @interfaceObject} stand-in it is resolved, or null.
   */
  @Nullable String standInInterface(String type, String field) {
    if (!supergraph.owners(type, field).isEmpty()) return null;
    if (!(schema.getType(type) instanceof GraphQLObjectType o)) return null;
    for (GraphQLNamedOutputType i : o.getInterfaces()) {
      if (ownedByStandIn(i.getName(), field)) return i.getName();
    }
    return null;
  }

  /** True when only {@code @interfaceObject} stand-ins of the interface resolve the field. */
  boolean ownedByStandIn(String iface, String field) {
    List<String> owners = supergraph.owners(iface, field);
    return !owners.isEmpty() && owners.stream().allMatch(g -> supergraph.interfaceObject(iface, g));
  }
}
