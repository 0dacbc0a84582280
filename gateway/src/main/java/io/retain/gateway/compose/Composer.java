package io.retain.gateway.compose;

import graphql.language.*;
import graphql.parser.Parser;
import io.retain.gateway.execute.SubgraphInstances;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.*;

/** Composes a supergraph SDL (join__ form) from the subgraphs' {@code _service { sdl }}. */
public final class Composer {

  /** A composition conflict: the start stops with this message. */
  public static final class CompositionException extends RuntimeException {
    public CompositionException(String message) {
      super(message);
    }
  }

  private Composer() {}

  private static final Set<String> FED_TYPES =
      Set.of("_Service", "_Any", "_Entity", "_FieldSet", "FieldSet");

  /**
   * Fetches every subgraph's SDL and composes them; throws when a subgraph does not answer. The
   * subgraphs answer {@code _service} only to a SERVICE or ADMIN token: {@code authorization} is
   * the header to send ({@code Bearer …}), or null for none.
   */
  public static String compose(Map<String, String> subgraphs, String authorization)
      throws Exception {
    Map<String, String> sdls = new LinkedHashMap<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    Map<String, String> urls = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : subgraphs.entrySet()) {
      // several instances: the join__graph url keeps them all; the SDL comes from one that answers
      List<String> instances = SubgraphInstances.parse(e.getValue());
      urls.put(e.getKey(), String.join(",", instances));
      sdls.put(e.getKey(), sdl(http, e.getKey(), instances, authorization));
    }
    return compose(sdls, urls);
  }

  /** The SDL from the first instance that can be reached. */
  private static String sdl(
      HttpClient http, String graph, List<String> instances, String authorization)
      throws Exception {
    java.io.IOException unreachable = null;
    for (String url : instances) {
      try {
        return sdl(http, graph, url, authorization);
      } catch (java.io.IOException e) {
        unreachable = e;
      }
    }
    throw unreachable != null ? unreachable : new IllegalStateException("no URL for " + graph);
  }

  private static String sdl(HttpClient http, String graph, String url, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ _service { sdl } }\"}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    // a JSON parser, not a regex: a backtracking regex overflows the stack on a large SDL
    String sdl = null;
    if (r.statusCode() / 100 == 2) {
      tools.jackson.databind.JsonNode node =
          new tools.jackson.databind.ObjectMapper().readTree(r.body()).at("/data/_service/sdl");
      sdl = node.isString() ? node.asString() : null;
    }
    if (sdl == null) {
      // the body says why (e.g. UNAUTHENTICATED when no subgraph token is configured)
      String body = r.body() == null ? "" : r.body();
      throw new IllegalStateException(
          "subgraph "
              + graph
              + " gave no SDL: "
              + r.statusCode()
              + " "
              + body.substring(0, Math.min(300, body.length())));
    }
    return sdl;
  }

  private static final class FieldDef {
    final Map<String, FieldDefinition> perGraph = new LinkedHashMap<>();
  }

  private static final class TypeAcc {
    String kind;
    final Map<String, List<String>> directivesPerGraph = new LinkedHashMap<>();
    final Map<String, FieldDef> fields = new LinkedHashMap<>();
    final Set<String> shareableIn = new HashSet<>();
    final Set<String> keyFieldsIn = new HashSet<>();
    final LinkedHashSet<String> extra = new LinkedHashSet<>();
    final Set<String> implementz = new LinkedHashSet<>();
    boolean inaccessible;
    String description;
  }

  /** Composes already fetched SDLs (graph name to SDL) with their URLs. */
  public static String compose(Map<String, String> sdls, Map<String, String> urls) {
    Map<String, TypeAcc> types = new LinkedHashMap<>();
    Map<String, String> enumName = new LinkedHashMap<>();
    for (String g : sdls.keySet()) enumName.put(g, g.toUpperCase().replaceAll("[^A-Z0-9_]", "_"));
    for (Map.Entry<String, String> e : sdls.entrySet()) {
      String graph = enumName.get(e.getKey());
      Document doc = Parser.parse(e.getValue());
      for (Definition<?> d : doc.getDefinitions()) {
        if (!(d instanceof TypeDefinition<?> td)) continue;
        String name = td.getName();
        if (FED_TYPES.contains(name)
            || name.startsWith("link__")
            || name.startsWith("federation__")) continue;
        TypeAcc t = types.computeIfAbsent(name, k -> new TypeAcc());
        List<Directive> dirs = ((DirectivesContainer<?>) td).getDirectives();
        if (td instanceof ObjectTypeDefinition o) {
          t.kind = "type";
          List<String> jt = t.directivesPerGraph.computeIfAbsent(graph, k -> new ArrayList<>());
          boolean typeShareable = has(dirs, "shareable");
          boolean extension = d instanceof ObjectTypeExtensionDefinition;
          boolean interfaceObject = has(dirs, "interfaceObject");
          for (Directive k : dirs) {
            if (!k.getName().equals("key")) continue;
            String fields = str(k, "fields");
            Boolean res =
                k.getArgument("resolvable") != null
                        && k.getArgument("resolvable").getValue() instanceof BooleanValue bv
                    ? bv.isValue()
                    : null;
            jt.add(
                "@join__type(graph: "
                    + graph
                    + ", key: "
                    + quote(fields)
                    + (Boolean.FALSE.equals(res) ? ", resolvable: false" : "")
                    + (extension ? ", extension: true" : "")
                    + (interfaceObject ? ", isInterfaceObject: true" : "")
                    + ")");
            for (String f : fields.split("[\\s{}]+"))
              if (!f.isBlank()) t.keyFieldsIn.add(f + "@" + graph);
          }
          if (jt.isEmpty()) jt.add("@join__type(graph: " + graph + ")");
          if (has(dirs, "inaccessible")) t.inaccessible = true;
          o.getImplements().forEach(i -> t.implementz.add(((TypeName) i).getName()));
          for (FieldDefinition f : o.getFieldDefinitions()) {
            if (name.equals("Query")
                && (f.getName().equals("_service") || f.getName().equals("_entities"))) continue;
            t.fields.computeIfAbsent(f.getName(), k -> new FieldDef()).perGraph.put(graph, f);
            if (typeShareable || has(f.getDirectives(), "shareable"))
              t.shareableIn.add(f.getName() + "@" + graph);
          }
        } else if (td instanceof InterfaceTypeDefinition i) {
          t.kind = "interface";
          List<String> jt = t.directivesPerGraph.computeIfAbsent(graph, k -> new ArrayList<>());
          for (Directive k : dirs) {
            if (k.getName().equals("key"))
              jt.add("@join__type(graph: " + graph + ", key: " + quote(str(k, "fields")) + ")");
          }
          if (jt.isEmpty()) jt.add("@join__type(graph: " + graph + ")");
          for (FieldDefinition f : i.getFieldDefinitions()) {
            t.fields.computeIfAbsent(f.getName(), k -> new FieldDef()).perGraph.put(graph, f);
            t.shareableIn.add(f.getName() + "@" + graph);
          }
        } else {
          // value types (enums, inputs, scalars, unions) merge by union of members
          t.kind = "other";
          String printed = AstPrinter.printAst(strip(d));
          t.extra.add(graph + "\u0000" + printed);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        "schema @link(url: \"https://specs.apollo.dev/link/v1.0\") @link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION) {\n  query: Query\n");
    if (types.containsKey("Mutation")) out.append("  mutation: Mutation\n");
    if (types.containsKey("Subscription")) out.append("  subscription: Subscription\n");
    out.append("}\n\nenum join__Graph {\n");
    enumName.forEach(
        (g, en) ->
            out.append("  ")
                .append(en)
                .append(" @join__graph(name: ")
                .append(quote(g))
                .append(", url: ")
                .append(quote(urls.getOrDefault(g, "")))
                .append(")\n"));
    out.append("}\n\n");
    for (Map.Entry<String, TypeAcc> e : types.entrySet()) {
      String name = e.getKey();
      TypeAcc t = e.getValue();
      if (t.kind.equals("other")) {
        out.append(mergeOther(name, t.extra)).append("\n\n");
        continue;
      }
      out.append(t.kind).append(" ").append(name);
      if (!t.implementz.isEmpty())
        out.append(" implements ").append(String.join(" & ", t.implementz));
      t.directivesPerGraph.values().forEach(l -> l.forEach(x -> out.append(" ").append(x)));
      if (t.inaccessible) out.append(" @inaccessible");
      out.append(" {\n");
      for (Map.Entry<String, FieldDef> fe : t.fields.entrySet()) {
        String fname = fe.getKey();
        Map<String, FieldDefinition> per = fe.getValue().perGraph;
        FieldDefinition first = per.values().iterator().next();
        Map<String, String> overriddenBy = new HashMap<>();
        List<String> resolving = new ArrayList<>();
        String type = null;
        String typeGraph = null;
        boolean inacc = false;
        for (Map.Entry<String, FieldDefinition> pg : per.entrySet()) {
          FieldDefinition f = pg.getValue();
          String ft = AstPrinter.printAst(f.getType());
          if (type == null) {
            type = ft;
            typeGraph = pg.getKey();
          } else if (!stripNonNull(type).equals(stripNonNull(ft))) {
            throw new CompositionException(
                "field "
                    + name
                    + "."
                    + fname
                    + " has type "
                    + type
                    + " in "
                    + typeGraph.toLowerCase()
                    + " but "
                    + ft
                    + " in "
                    + pg.getKey().toLowerCase());
          }
          if (has(f.getDirectives(), "inaccessible")) inacc = true;
          for (Directive d : f.getDirectives()) {
            if (d.getName().equals("override")) {
              overriddenBy.put(
                  enumName.getOrDefault(str(d, "from"), str(d, "from").toUpperCase()), pg.getKey());
            }
          }
          if (!has(f.getDirectives(), "external")) resolving.add(pg.getKey());
        }
        resolving.removeIf(overriddenBy::containsKey);
        if (resolving.size() > 1 && t.kind.equals("type")) {
          List<String> unshared = new ArrayList<>();
          for (String g : resolving) {
            if (!t.shareableIn.contains(fname + "@" + g)
                && !t.keyFieldsIn.contains(fname + "@" + g)) unshared.add(g.toLowerCase());
          }
          if (!unshared.isEmpty()) {
            throw new CompositionException(
                "field "
                    + name
                    + "."
                    + fname
                    + " is resolved by subgraphs "
                    + resolving.stream().map(String::toLowerCase).toList()
                    + " but is not @shareable in "
                    + unshared);
          }
        }
        out.append("  ").append(fname);
        if (!first.getInputValueDefinitions().isEmpty()) {
          out.append("(");
          StringJoiner sj = new StringJoiner(", ");
          for (InputValueDefinition iv : first.getInputValueDefinitions())
            sj.add(AstPrinter.printAst(strip(iv)));
          out.append(sj).append(")");
        }
        out.append(": ").append(type);
        for (Map.Entry<String, FieldDefinition> pg : per.entrySet()) {
          String g = pg.getKey();
          FieldDefinition f = pg.getValue();
          StringBuilder jf = new StringBuilder("@join__field(graph: " + g);
          if (has(f.getDirectives(), "external")) jf.append(", external: true");
          if (overriddenBy.containsKey(g)) jf.append(", usedOverridden: true");
          for (Directive d : f.getDirectives()) {
            switch (d.getName()) {
              case "requires" -> jf.append(", requires: ").append(quote(str(d, "fields")));
              case "provides" -> jf.append(", provides: ").append(quote(str(d, "fields")));
              case "override" -> jf.append(", override: ").append(quote(str(d, "from")));
              default -> {}
            }
          }
          out.append(" ").append(jf).append(")");
        }
        if (inacc) out.append(" @inaccessible");
        out.append("\n");
      }
      out.append("}\n\n");
    }
    return out.toString();
  }

  private static String stripNonNull(String t) {
    return t.replace("!", "");
  }

  private static String mergeOther(String name, Set<String> printed) {
    Document merged = null;
    Set<String> members = new LinkedHashSet<>();
    String head = null;
    for (String p : printed) {
      String sdl = p.substring(p.indexOf('\u0000') + 1);
      Definition<?> d = Parser.parse(sdl).getDefinitions().get(0);
      if (d instanceof EnumTypeDefinition en) {
        head = "enum " + name;
        en.getEnumValueDefinitions().forEach(v -> members.add(v.getName()));
      } else if (d instanceof UnionTypeDefinition u) {
        head = "union " + name;
        u.getMemberTypes().forEach(m -> members.add(((TypeName) m).getName()));
      } else if (d instanceof InputObjectTypeDefinition in) {
        head = "input " + name;
        in.getInputValueDefinitions().forEach(v -> members.add(AstPrinter.printAst(v)));
      } else if (d instanceof ScalarTypeDefinition) {
        return "scalar " + name;
      }
    }
    if (head == null) return "";
    if (head.startsWith("union")) return head + " = " + String.join(" | ", members);
    return head + " {\n  " + String.join("\n  ", members) + "\n}";
  }

  @SuppressWarnings("unchecked")
  private static <T extends Node<?>> T strip(T n) {
    if (n instanceof InputValueDefinition iv) return (T) iv.transform(b -> b.directives(List.of()));
    if (n instanceof EnumTypeDefinition e)
      return (T)
          e.transform(
              b ->
                  b.directives(List.of())
                      .enumValueDefinitions(
                          e.getEnumValueDefinitions().stream()
                              .map(v -> v.transform(x -> x.directives(List.of())))
                              .toList()));
    if (n instanceof InputObjectTypeDefinition in)
      return (T)
          in.transform(
              b ->
                  b.directives(List.of())
                      .inputValueDefinitions(
                          in.getInputValueDefinitions().stream()
                              .map(v -> v.transform(x -> x.directives(List.of())))
                              .toList()));
    if (n instanceof UnionTypeDefinition u) return (T) u.transform(b -> b.directives(List.of()));
    if (n instanceof ScalarTypeDefinition s) return (T) s.transform(b -> b.directives(List.of()));
    return n;
  }

  private static boolean has(List<Directive> dirs, String name) {
    return dirs.stream()
        .anyMatch(d -> d.getName().equals(name) || d.getName().equals("federation__" + name));
  }

  private static String str(Directive d, String name) {
    Argument a = d.getArgument(name);
    return a != null && a.getValue() instanceof StringValue s ? s.getValue() : null;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
  }
}
