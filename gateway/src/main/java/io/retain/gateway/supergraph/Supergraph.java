package io.retain.gateway.supergraph;

import graphql.language.*;
import graphql.parser.Parser;
import java.util.*;
import org.jspecify.annotations.Nullable;

/** A parsed federation v2 supergraph: subgraph URLs, ownership per field, keys per subgraph. */
public final class Supergraph {

  /** One entity key of a type in one subgraph. */
  public record Key(String graph, String fields, boolean resolvable) {}

  /** Where a field can be resolved and what it needs there; immutable once parsed. */
  public record FieldInfo(
      String name,
      String typeName,
      String type,
      @Nullable Set<String> graphs,
      Map<String, String> requires,
      Map<String, String> provides,
      Map<String, String> typeIn,
      Map<String, String> fullTypeIn) {

    /**
     * @param type the full output type as the supergraph declares it ({@code [User!]!})
     * @param graphs graphs that resolve the field; null means every graph that defines the parent
     *     type
     * @param typeIn the field's named type in a graph where it differs from the supergraph's
     * @param fullTypeIn the field's full type in a graph where it differs ({@code ID!})
     */
    public FieldInfo {
      graphs = graphs == null ? null : frozen(graphs);
      requires = frozen(requires);
      provides = frozen(provides);
      typeIn = frozen(typeIn);
      fullTypeIn = frozen(fullTypeIn);
    }

    /** The full output type in the given graph. */
    public String fullType(String graph) {
      return fullTypeIn.getOrDefault(graph, type);
    }
  }

  /**
   * A composite type and where it lives; immutable once parsed.
   *
   * @param memberOfIn abstract type (interface or union) to the graphs in which this type belongs
   *     to it
   */
  public record TypeInfo(
      String name,
      Set<String> graphs,
      List<Key> keys,
      Map<String, FieldInfo> fields,
      Set<String> interfaceObjectIn,
      Map<String, Set<String>> memberOfIn) {

    public TypeInfo {
      graphs = frozen(graphs);
      keys = List.copyOf(keys);
      fields = frozen(fields);
      interfaceObjectIn = frozen(interfaceObjectIn);
      Map<String, Set<String>> members = new LinkedHashMap<>();
      memberOfIn.forEach((k, v) -> members.put(k, frozen(v)));
      memberOfIn = Collections.unmodifiableMap(members);
    }
  }

  /** A type being read from the supergraph; frozen into a {@link TypeInfo} at the end of parse. */
  private static final class TypeDraft {
    final String name;
    final Set<String> graphs = new LinkedHashSet<>();
    final List<Key> keys = new ArrayList<>();
    final Map<String, FieldInfo> fields = new LinkedHashMap<>();
    final Set<String> interfaceObjectIn = new LinkedHashSet<>();
    final Map<String, Set<String>> memberOfIn = new LinkedHashMap<>();

    TypeDraft(String name) {
      this.name = name;
    }

    TypeInfo freeze() {
      return new TypeInfo(name, graphs, keys, fields, interfaceObjectIn, memberOfIn);
    }
  }

  /** An unmodifiable copy keeping the iteration order. */
  private static <T> Set<T> frozen(Set<T> s) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(s));
  }

  private static <K, V> Map<K, V> frozen(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private final Map<String, String> urls;
  private final Map<String, String> names;
  private final Map<String, TypeInfo> types;
  private final Document clientSchema;
  private final String sdl;

  private Supergraph(
      Map<String, String> urls,
      Map<String, String> names,
      Map<String, TypeInfo> types,
      Document clientSchema,
      String sdl) {
    this.urls = urls;
    this.names = names;
    this.types = types;
    this.clientSchema = clientSchema;
    this.sdl = sdl;
  }

  public Map<String, String> urls() {
    return urls;
  }

  /**
   * The subgraph's own name ({@code join__graph(name:)}, e.g. "retention") for a join__Graph value
   * ("RETENTION"): what clients see in errors and what resilience instances are named by.
   */
  public String graphName(String graph) {
    return names.getOrDefault(graph, graph);
  }

  public TypeInfo type(String name) {
    return types.get(name);
  }

  public Document clientSchema() {
    return clientSchema;
  }

  public String sdl() {
    return sdl;
  }

  /** True when the given graph can resolve field {@code field} of type {@code type}. */
  public boolean resolvable(String type, String field, String graph) {
    if (field.startsWith("__")) return true;
    TypeInfo t = types.get(type);
    if (t == null) return true;
    FieldInfo f = t.fields().get(field);
    if (f == null) return false;
    if (f.graphs() != null) return f.graphs().contains(graph);
    return t.graphs().isEmpty() || t.graphs().contains(graph);
  }

  /** The graphs that own a field, in declaration order. */
  public List<String> owners(String type, String field) {
    TypeInfo t = types.get(type);
    if (t == null) return List.copyOf(urls.keySet());
    FieldInfo f = t.fields().get(field);
    if (f != null && f.graphs() != null) return List.copyOf(f.graphs());
    return t.graphs().isEmpty() ? List.copyOf(urls.keySet()) : List.copyOf(t.graphs());
  }

  /** True when the graph knows the type at all. */
  public boolean knows(String type, String graph) {
    TypeInfo t = types.get(type);
    return t == null || t.graphs().isEmpty() || t.graphs().contains(graph);
  }

  /**
   * True when, in the given graph, object type {@code type} implements (or is a member of) {@code
   * abstractType}: only then may a fragment on it be sent to that graph under that abstract type.
   * Without {@code join__implements}/{@code join__unionMember} data the type being known suffices.
   */
  public boolean memberIn(String type, String abstractType, String graph) {
    TypeInfo t = types.get(type);
    if (t == null) return true;
    Set<String> gs = t.memberOfIn().get(abstractType);
    if (gs == null) return knows(type, graph);
    return gs.contains(graph);
  }

  /** True when the graph holds {@code type} as an {@code @interfaceObject} (an object stand-in). */
  public boolean interfaceObject(String type, String graph) {
    TypeInfo t = types.get(type);
    return t != null && t.interfaceObjectIn().contains(graph);
  }

  /** The first resolvable key of a type in a graph, or null. */
  public Key key(String type, String graph) {
    TypeInfo t = types.get(type);
    if (t == null) return null;
    for (Key k : t.keys()) if (k.graph().equals(graph) && k.resolvable()) return k;
    return null;
  }

  /** Parses a supergraph SDL in the join__/link form written by the federation composers. */
  public static Supergraph parse(String sdl) {
    Document doc = Parser.parse(sdl);
    Map<String, String> urls = new LinkedHashMap<>();
    Map<String, String> names = new HashMap<>();
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof EnumTypeDefinition e && e.getName().equals("join__Graph")) {
        for (EnumValueDefinition v : e.getEnumValueDefinitions()) {
          Directive g = v.getDirectives("join__graph").stream().findFirst().orElse(null);
          String name = g == null ? v.getName().toLowerCase() : str(g, "name");
          String url = g == null ? null : str(g, "url");
          urls.put(v.getName(), url == null ? "" : url);
          names.put(v.getName(), name == null ? v.getName() : name);
        }
      }
    }
    Map<String, TypeDraft> drafts = new HashMap<>();
    for (Definition<?> d : doc.getDefinitions()) {
      List<Directive> typeDirs;
      List<FieldDefinition> fields;
      String name;
      if (d instanceof ObjectTypeDefinition o) {
        name = o.getName();
        typeDirs = o.getDirectives();
        fields = o.getFieldDefinitions();
      } else if (d instanceof InterfaceTypeDefinition i) {
        name = i.getName();
        typeDirs = i.getDirectives();
        fields = i.getFieldDefinitions();
      } else if (d instanceof UnionTypeDefinition u) {
        TypeDraft t = drafts.computeIfAbsent(u.getName(), TypeDraft::new);
        for (Directive jt : u.getDirectives("join__type")) t.graphs.add(enumArg(jt, "graph"));
        for (Directive m : u.getDirectives("join__unionMember")) {
          drafts
              .computeIfAbsent(str(m, "member"), TypeDraft::new)
              .memberOfIn
              .computeIfAbsent(u.getName(), k -> new HashSet<>())
              .add(enumArg(m, "graph"));
        }
        continue;
      } else continue;
      TypeDraft t = drafts.computeIfAbsent(name, TypeDraft::new);
      for (Directive ji : typeDirs) {
        if (!ji.getName().equals("join__implements")) continue;
        t.memberOfIn
            .computeIfAbsent(str(ji, "interface"), k -> new HashSet<>())
            .add(enumArg(ji, "graph"));
      }
      for (Directive jt : typeDirs) {
        if (!jt.getName().equals("join__type")) continue;
        String g = enumArg(jt, "graph");
        t.graphs.add(g);
        String key = str(jt, "key");
        if (key != null) {
          Boolean resolvable = bool(jt, "resolvable");
          t.keys.add(new Key(g, key, resolvable == null || resolvable));
        }
        if (Boolean.TRUE.equals(bool(jt, "isInterfaceObject"))) t.interfaceObjectIn.add(g);
      }
      for (FieldDefinition fd : fields) t.fields.put(fd.getName(), field(fd));
    }
    Map<String, TypeInfo> types = new HashMap<>();
    drafts.forEach((n, t) -> types.put(n, t.freeze()));
    return new Supergraph(
        Collections.unmodifiableMap(urls),
        Map.copyOf(names),
        Map.copyOf(types),
        ClientSchema.strip(doc),
        sdl);
  }

  /** A field with the graphs resolving it and its requires/provides/type per graph. */
  private static FieldInfo field(FieldDefinition fd) {
    Set<String> graphs = null;
    Map<String, String> requires = new HashMap<>();
    Map<String, String> provides = new HashMap<>();
    Map<String, String> typeIn = new HashMap<>();
    Map<String, String> fullTypeIn = new HashMap<>();
    List<Directive> jfs = fd.getDirectives("join__field");
    if (!jfs.isEmpty()) {
      Set<String> gs = new LinkedHashSet<>();
      boolean any = false;
      for (Directive jf : jfs) {
        String g = enumArg(jf, "graph");
        if (g == null) continue;
        any = true;
        String declared = str(jf, "type");
        if (declared != null) {
          typeIn.put(g, named(Parser.parseType(declared)));
          fullTypeIn.put(g, declared.replace(" ", ""));
        }
        if (Boolean.TRUE.equals(bool(jf, "external"))) continue;
        if (Boolean.TRUE.equals(bool(jf, "usedOverridden"))) continue;
        gs.add(g);
        String req = str(jf, "requires");
        if (req != null) requires.put(g, req);
        String prov = str(jf, "provides");
        if (prov != null) provides.put(g, prov);
      }
      if (any) graphs = gs;
      // a bare @join__field: the field comes only through an @interfaceObject interface
      else if (jfs.stream().allMatch(jf -> jf.getArguments().isEmpty())) graphs = gs;
    }
    return new FieldInfo(
        fd.getName(),
        named(fd.getType()),
        AstPrinter.printAst(fd.getType()),
        graphs,
        requires,
        provides,
        typeIn,
        fullTypeIn);
  }

  static String named(Type<?> t) {
    while (!(t instanceof TypeName)) {
      t = t instanceof NonNullType n ? n.getType() : ((ListType) t).getType();
    }
    return ((TypeName) t).getName();
  }

  private static Value<?> arg(Directive d, String name) {
    Argument a = d.getArgument(name);
    return a == null ? null : a.getValue();
  }

  private static String str(Directive d, String name) {
    return arg(d, name) instanceof StringValue s ? s.getValue() : null;
  }

  private static String enumArg(Directive d, String name) {
    Value<?> v = arg(d, name);
    return v instanceof EnumValue e
        ? e.getName()
        : v instanceof StringValue s ? s.getValue() : null;
  }

  private static Boolean bool(Directive d, String name) {
    return arg(d, name) instanceof BooleanValue b ? b.isValue() : null;
  }
}
