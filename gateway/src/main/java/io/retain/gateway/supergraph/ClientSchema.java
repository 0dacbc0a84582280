package io.retain.gateway.supergraph;

import graphql.language.*;
import java.util.*;

/** Removes federation machinery and @inaccessible elements from a supergraph document. */
final class ClientSchema {

  private ClientSchema() {}

  private static final Set<String> HIDDEN_TYPES =
      Set.of("_Any", "_Service", "_Entity", "_FieldSet");

  static boolean hiddenType(String name) {
    return name.startsWith("join__") || name.startsWith("link__") || HIDDEN_TYPES.contains(name);
  }

  private static boolean inaccessible(DirectivesContainer<?> c) {
    return c.hasDirective("inaccessible");
  }

  static Document strip(Document doc) {
    List<Definition> out = new ArrayList<>();
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof DirectiveDefinition) continue;
      if (d instanceof SchemaDefinition s) {
        out.add(s.transform(b -> b.directives(List.of())));
        continue;
      }
      if (d instanceof TypeDefinition<?> t) {
        if (hiddenType(t.getName()) || inaccessible((DirectivesContainer<?>) t)) continue;
      }
      if (d instanceof ObjectTypeDefinition o) {
        List<FieldDefinition> fs = fields(o.getFieldDefinitions());
        if (fs.isEmpty()) continue;
        List<Type> impls =
            o.getImplements().stream()
                .filter(i -> !inaccessibleType(doc, ((TypeName) i).getName()))
                .toList();
        out.add(o.transform(b -> b.directives(List.of()).fieldDefinitions(fs).implementz(impls)));
      } else if (d instanceof InterfaceTypeDefinition i) {
        List<FieldDefinition> fs = fields(i.getFieldDefinitions());
        out.add(i.transform(b -> b.directives(List.of()).definitions(fs)));
      } else if (d instanceof UnionTypeDefinition u) {
        List<Type> members =
            u.getMemberTypes().stream()
                .filter(m -> !inaccessibleType(doc, ((TypeName) m).getName()))
                .toList();
        out.add(u.transform(b -> b.directives(List.of()).memberTypes(members)));
      } else if (d instanceof EnumTypeDefinition e) {
        List<EnumValueDefinition> vs =
            e.getEnumValueDefinitions().stream()
                .filter(v -> !inaccessible(v))
                .map(v -> v.transform(b -> b.directives(List.of())))
                .toList();
        out.add(e.transform(b -> b.directives(List.of()).enumValueDefinitions(vs)));
      } else if (d instanceof InputObjectTypeDefinition in) {
        List<InputValueDefinition> vs = inputs(in.getInputValueDefinitions());
        out.add(in.transform(b -> b.directives(List.of()).inputValueDefinitions(vs)));
      } else if (d instanceof ScalarTypeDefinition s) {
        out.add(s.transform(b -> b.directives(List.of())));
      }
    }
    return doc.transform(b -> b.definitions(out));
  }

  private static boolean inaccessibleType(Document doc, String name) {
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof TypeDefinition<?> t && t.getName().equals(name)) {
        return inaccessible((DirectivesContainer<?>) t);
      }
    }
    return false;
  }

  private static List<FieldDefinition> fields(List<FieldDefinition> fs) {
    return fs.stream()
        .filter(f -> !inaccessible(f))
        .filter(f -> !f.getName().equals("_entities") && !f.getName().equals("_service"))
        .map(
            f ->
                f.transform(
                    b ->
                        b.directives(List.of())
                            .inputValueDefinitions(inputs(f.getInputValueDefinitions()))))
        .toList();
  }

  private static List<InputValueDefinition> inputs(List<InputValueDefinition> vs) {
    return vs.stream()
        .filter(v -> !inaccessible(v))
        .map(v -> v.transform(b -> b.directives(List.of())))
        .toList();
  }
}
