package io.retain.gateway.plan;

import graphql.language.*;
import graphql.parser.Parser;
import graphql.schema.*;
import io.retain.gateway.supergraph.Supergraph;
import java.util.*;

/** Splits an operation's selection into a tree of fetch steps, one per subgraph boundary. */
public final class QueryPlanner {

  private final Supergraph supergraph;
  private final GraphQLSchema schema;
  private Deque<Step> pending;

  /** The enclosing levels of the selection being projected, innermost first. */
  private final Deque<Level> levels = new ArrayDeque<>();

  /** A level of a projection, with the field leading below it and what a fetch there needs. */
  private record Level(
      String type,
      Field via,
      List<String> path,
      Map<String, Step> boundaries,
      List<Selection> out,
      Set<String> injected,
      Step owner) {}

  /** A selection no graph reachable from where it is asked can resolve: the query is refused. */
  public static final class UnsatisfiableException extends RuntimeException {
    /** The error code clients see in {@code extensions.code}. */
    public static final String CODE = "UNSATISFIABLE_FIELD";

    private final String field;
    private final String type;

    UnsatisfiableException(String message, String field, String type) {
      super(message);
      this.field = field;
      this.type = type;
    }

    /** The field that cannot be resolved where it is asked. */
    public String field() {
      return field;
    }

    /** The entity type it is asked on. */
    public String type() {
      return type;
    }
  }

  /** Creates a planner; one instance plans one operation at a time. */
  public QueryPlanner(Supergraph supergraph, GraphQLSchema schema) {
    this.supergraph = supergraph;
    this.schema = schema;
  }

  /** Plans the given root selections; root fields are grouped per owning subgraph. */
  public synchronized List<Step> plan(
      String rootType, List<Selection> rootSelections, Map<String, FragmentDefinition> fragments) {
    SelectionSet expanded = expand(new SelectionSet(rootSelections), fragments);
    Map<String, List<Selection>> byGraph = new LinkedHashMap<>();
    for (Selection<?> s : expanded.getSelections()) {
      if (s instanceof Field f) {
        if (f.getName().startsWith("__")) continue;
        String g = bestOwner(rootType, f);
        splitSharedRoot(rootType, f, g)
            .forEach(
                (graph, part) -> byGraph.computeIfAbsent(graph, k -> new ArrayList<>()).add(part));
      } else if (s instanceof InlineFragment i) {
        for (Selection<?> inner : i.getSelectionSet().getSelections()) {
          if (inner instanceof Field f && !f.getName().startsWith("__")) {
            String g = bestOwner(rootType, f);
            byGraph
                .computeIfAbsent(g, k -> new ArrayList<>())
                .add(i.transform(b -> b.selectionSet(new SelectionSet(List.of(f)))));
          }
        }
      }
    }
    List<Step> steps = new ArrayList<>();
    pending = new ArrayDeque<>();
    byGraph.forEach(
        (g, sels) -> {
          Step root = new Step(g, null, List.of(), Set.of());
          root.selection =
              project(
                  new SelectionSet(sels),
                  rootType,
                  g,
                  List.of(),
                  new LinkedHashMap<>(),
                  root,
                  null);
          steps.add(root);
        });
    while (!pending.isEmpty()) {
      Step b = pending.poll();
      b.selection =
          project(
              new SelectionSet(b.raw),
              b.typeName,
              b.graph,
              List.of(),
              new LinkedHashMap<>(),
              b,
              null);
    }
    for (Step root : steps) separateResponseKeys(root, rootType);
    return steps;
  }

  private void separateResponseKeys(Step step, String type) {
    ResponseKeys keys = new ResponseKeys(supergraph, schema, step.graph);
    SelectionSet separated = keys.separate(step.selection, type);
    if (keys.aliased()) {
      step.selection = separated;
      step.aliased = true;
    }
    for (Step c : step.children) separateResponseKeys(c, c.typeName);
  }

  /**
   * Of the graphs that can resolve a root field (shared roots), the one that resolves most of its
   * selection itself, counting what it {@code @provides}; the first on a tie.
   */
  private String bestOwner(String rootType, Field f) {
    List<String> owners = supergraph.owners(rootType, f.getName());
    String best = owners.get(0);
    if (owners.size() == 1) return best;
    int bestScore = -1;
    for (String g : owners) {
      Supergraph.FieldInfo info = supergraph.type(rootType).fields.get(f.getName());
      String prov = info == null ? null : info.provides.get(g);
      int score = coverage(f, rootType, g, prov == null ? null : fieldSet(prov));
      if (score > bestScore) {
        bestScore = score;
        best = g;
      }
    }
    return best;
  }

  /**
   * A shared root field whose type has no key anywhere cannot continue through {@code _entities}:
   * the fields its best graph does not resolve are asked of the other graphs sharing the root
   * field, each calling it with its part of the selection. Otherwise the field goes to {@code best}
   * whole.
   */
  private Map<String, Field> splitSharedRoot(String rootType, Field f, String best) {
    Map<String, Field> parts = new LinkedHashMap<>();
    List<String> owners = supergraph.owners(rootType, f.getName());
    Supergraph.FieldInfo info = supergraph.type(rootType).fields.get(f.getName());
    Supergraph.TypeInfo child = info == null ? null : supergraph.type(info.typeName);
    if (owners.size() < 2
        || f.getSelectionSet() == null
        || child == null
        || child.keys.stream().anyMatch(Supergraph.Key::resolvable)) {
      parts.put(best, f);
      return parts;
    }
    Map<String, List<Selection>> byGraph = new LinkedHashMap<>();
    byGraph.put(best, new ArrayList<>());
    for (Selection<?> s : f.getSelectionSet().getSelections()) {
      String g = best;
      if (s instanceof Field c && !supergraph.resolvable(child.name, c.getName(), best)) {
        g =
            owners.stream()
                .filter(o -> supergraph.resolvable(child.name, c.getName(), o))
                .findFirst()
                .orElse(best);
      }
      byGraph.computeIfAbsent(g, k -> new ArrayList<>()).add(s);
    }
    byGraph.forEach(
        (g, sels) -> {
          if (!sels.isEmpty())
            parts.put(g, f.transform(b -> b.selectionSet(new SelectionSet(sels))));
        });
    return parts;
  }

  /** How many fields below {@code f} the graph resolves without leaving it. */
  private int coverage(Field f, String parentType, String graph, SelectionSet provided) {
    if (f.getSelectionSet() == null) return 0;
    GraphQLFieldsContainer container = (GraphQLFieldsContainer) schema.getType(parentType);
    GraphQLFieldDefinition def =
        container == null ? null : container.getFieldDefinition(f.getName());
    if (def == null) return 0;
    String childType = GraphQLTypeUtil.unwrapAll(def.getType()).getName();
    return coverageOf(f.getSelectionSet(), childType, graph, provided);
  }

  private int coverageOf(SelectionSet ss, String type, String graph, SelectionSet provided) {
    int n = 0;
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field c && !c.getName().startsWith("__")) {
        if (!local(type, c.getName(), graph, provided)) continue;
        Field pf = providedField(provided, type, c.getName());
        n += 1 + coverage(c, type, graph, pf == null ? null : pf.getSelectionSet());
      } else if (s instanceof InlineFragment i) {
        String tc = i.getTypeCondition() == null ? type : i.getTypeCondition().getName();
        n += coverageOf(i.getSelectionSet(), tc, graph, provided);
      }
    }
    return n;
  }

  /** Replaces named fragment spreads by inline fragments, recursively. */
  static SelectionSet expand(SelectionSet ss, Map<String, FragmentDefinition> fragments) {
    if (ss == null) return null;
    List<Selection> out = new ArrayList<>();
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        out.add(
            f.getSelectionSet() == null
                ? f
                : f.transform(b -> b.selectionSet(expand(f.getSelectionSet(), fragments))));
      } else if (s instanceof InlineFragment i) {
        out.add(i.transform(b -> b.selectionSet(expand(i.getSelectionSet(), fragments))));
      } else if (s instanceof FragmentSpread sp) {
        FragmentDefinition def = fragments.get(sp.getName());
        out.add(
            InlineFragment.newInlineFragment()
                .typeCondition(def.getTypeCondition())
                .directives(sp.getDirectives())
                .selectionSet(expand(def.getSelectionSet(), fragments))
                .build());
      }
    }
    return new SelectionSet(out);
  }

  private SelectionSet project(
      SelectionSet ss,
      String parentType,
      String graph,
      List<String> path,
      Map<String, Step> boundaries,
      Step owner,
      SelectionSet provided) {
    ss = explodeAbstract(ss, parentType, graph, provided);
    List<Selection> out = new ArrayList<>();
    Set<String> injected = new HashSet<>();
    List<Object[]> deferred = new ArrayList<>();
    // an @interfaceObject graph only knows the interface: the concrete type (and fragments on
    // it) come from the graph where the interface is real
    boolean standIn = supergraph.interfaceObject(parentType, graph);
    Step real = null;
    // with no object type implementing the interface anywhere there is no concrete type to learn
    if (standIn && concrete(parentType).size() > 1) {
      String rg = realGraph(parentType);
      if (rg != null) {
        real = boundary(rg, parentType, path, boundaries, owner, out, injected, "");
        real.raw.add(new Field("__typename"));
      }
    }
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        if (f.getName().startsWith("__")) {
          if (!(standIn && real != null && f.getName().equals("__typename"))) out.add(f);
          continue;
        }
        // a field of this graph requiring fields it does not have is resolved through _entities
        // (at the top of an entity fetch, the representation carries them)
        String ownReq = requires(parentType, f.getName(), graph);
        boolean waits =
            ownReq != null
                && !(path.isEmpty() && owner.typeName != null)
                && providedField(provided, parentType, f.getName()) == null
                && !allResolvable(fieldSet(ownReq), parentType, graph);
        if (!waits && local(parentType, f.getName(), graph, provided)) {
          levels.push(new Level(parentType, f, path, boundaries, out, injected, owner));
          try {
            out.add(projectField(f, parentType, graph, path, owner, provided));
          } finally {
            levels.pop();
          }
        } else {
          String viaInterface = standInInterface(parentType, f.getName());
          String entityType = viaInterface == null ? parentType : viaInterface;
          String target =
              waits
                  ? graph
                  : viaInterface == null
                      ? pickOwner(parentType, f.getName(), graph)
                      : pickOwner(viaInterface, f.getName(), graph);
          String req = requires(entityType, f.getName(), target);
          if (req != null && !allResolvable(fieldSet(req), parentType, graph)) {
            deferred.add(new Object[] {f, target, req});
            continue;
          }
          String hop = keyHop(entityType, target, graph);
          if (hop != null && req == null) {
            // the target's key is not known here: a graph whose key is fetches it first
            Step h = boundary(hop, entityType, path, boundaries, owner, out, injected, "");
            Supergraph.Key tk = keyFor(entityType, target, hop);
            h.raw.addAll(fieldSet(tk.fields()).getSelections());
            Step c =
                boundary(target, entityType, List.of(), boundaries, h, null, null, "after:" + path);
            c.raw.add(f);
            continue;
          }
          Level up = enclosingEntity(entityType, target, graph);
          if (up != null && req == null) {
            // the type has no key there: the enclosing entity is fetched there, down to the field
            fetchThroughEnclosing(up, target, owner, f);
            continue;
          }
          if (!keyFillable(entityType, target, graph, provided)) {
            String via = req == null ? enclosingOwner(entityType, f.getName(), graph) : null;
            if (via != null) {
              // another graph resolving it has no key for the type: through the enclosing entity
              fetchThroughEnclosing(levels.peek(), via, owner, f);
              continue;
            }
            if (req == null
                && keyThroughEnclosing(entityType, target, graph, owner, provided, out, injected)) {
              // the key's missing fields come from enclosing-entity fetches: this one follows them
              Step c =
                  boundary(
                      target, entityType, path, boundaries, owner, null, null, "after:" + path);
              c.raw.add(f);
              continue;
            }
            throw new UnsatisfiableException(
                String.format(
                    "Cannot query field '%s' on type '%s': subgraph '%s' has no key of it that"
                        + " '%s' can fill",
                    f.getName(),
                    entityType,
                    supergraph.graphName(target),
                    supergraph.graphName(graph)),
                f.getName(),
                entityType);
          }
          SelectionSet rs = req == null ? null : requiredSet(req);
          String tag = separateTag("", target, entityType, path, boundaries, rs);
          Step b = boundary(target, entityType, path, boundaries, owner, out, injected, tag);
          b.raw.add(f);
          if (rs != null) addRepresentation(b, rs, out, injected);
        }
      } else if (s instanceof InlineFragment i) {
        String tc = i.getTypeCondition() == null ? parentType : i.getTypeCondition().getName();
        if (standIn && real != null && !tc.equals(parentType)) {
          real.raw.add(i);
          continue;
        }
        if (!supergraph.knows(tc, graph)) continue;
        // a fragment on another object type can never match here: the graph would refuse it
        if (!tc.equals(parentType)
            && schema.getType(parentType) instanceof GraphQLObjectType
            && schema.getType(tc) instanceof GraphQLObjectType) continue;
        // nor one on an object type that is a member of the parent only in other graphs
        if (abstractType(parentType)
            && schema.getType(tc) instanceof GraphQLObjectType
            && !supergraph.memberIn(tc, parentType, graph)) continue;
        List<String> perType = membersElsewhere(tc, parentType, graph);
        if (perType != null) {
          // an abstract condition whose types are members of it only in other graphs: one
          // fragment per type, which this graph does accept
          for (String t : perType) {
            out.add(
                i.transform(
                    b ->
                        b.typeCondition(new TypeName(t))
                            .selectionSet(
                                project(
                                    i.getSelectionSet(),
                                    t,
                                    graph,
                                    path,
                                    boundaries,
                                    owner,
                                    provided))));
          }
          continue;
        }
        out.add(
            i.transform(
                b ->
                    b.selectionSet(
                        project(
                            i.getSelectionSet(), tc, graph, path, boundaries, owner, provided))));
      }
    }
    for (Object[] d : deferred) {
      fetchAfterRequirements(
          (Field) d[0],
          (String) d[1],
          (String) d[2],
          parentType,
          graph,
          path,
          boundaries,
          owner,
          out,
          injected);
    }
    return new SelectionSet(out);
  }

  /**
   * When {@code target} has no key for {@code type}: the enclosing level whose type it can fetch by
   * a key this graph fills (or, at the top of an entity fetch, the representation carries) and
   * whose field leading here it resolves, else null.
   */
  private Level enclosingEntity(String type, String target, String graph) {
    if (supergraph.key(type, target) != null || levels.isEmpty()) return null;
    Level up = levels.peek();
    if (!supergraph.resolvable(up.type, up.via.getName(), target)) return null;
    Supergraph.Key k = keyFor(up.type, target, graph);
    if (k == null) return null;
    return allResolvable(fieldSet(k.fields()), up.type, graph) || carried(up, k) ? up : null;
  }

  /** A graph resolving {@code type.field} through the enclosing entity, or null. */
  private String enclosingOwner(String type, String field, String graph) {
    for (String o : supergraph.owners(type, field)) {
      if (enclosingEntity(type, o, graph) != null) return o;
    }
    return null;
  }

  /** True at the top of an entity fetch whose representation holds every field of {@code k}. */
  private static boolean carried(Level up, Supergraph.Key k) {
    if (!up.path.isEmpty() || up.owner.typeName == null) return false;
    for (Selection<?> s : fieldSet(k.fields()).getSelections()) {
      if (s instanceof Field kf
          && up.owner.representation.getSelections().stream()
              .noneMatch(r -> r instanceof Field rf && rf.getName().equals(kf.getName())))
        return false;
    }
    return true;
  }

  /** Fetches {@code f} from {@code target} through the enclosing entity {@code up}. */
  private void fetchThroughEnclosing(Level up, String target, Step owner, Field f) {
    Supergraph.Key k = keyFor(up.type, target, owner.graph);
    // a key the representation carries is already in the data: not asked of this graph again
    boolean inData = k != null && carried(up, k);
    Step b =
        boundary(
            target,
            up.type,
            up.path,
            up.boundaries,
            owner,
            inData ? null : up.out,
            up.injected,
            "");
    Field sel = up.via.transform(x -> x.selectionSet(new SelectionSet(List.of(f))));
    String printed = AstPrinterHolder.print(sel);
    if (b.raw.stream().noneMatch(x -> AstPrinterHolder.print(x).equals(printed))) b.raw.add(sel);
  }

  /**
   * For a key of {@code type} in {@code target} with fields {@code graph} lacks: when each of them
   * can come through an enclosing-entity fetch from its owner, plans those fetches (and selects the
   * key fields this graph has) and returns true; else plans nothing and returns false.
   */
  private boolean keyThroughEnclosing(
      String type,
      String target,
      String graph,
      Step owner,
      SelectionSet provided,
      List<Selection> out,
      Set<String> injected) {
    Supergraph.Key k = supergraph.key(type, target);
    if (k == null) return false;
    List<Runnable> fetches = new ArrayList<>();
    for (Selection<?> s : fieldSet(k.fields()).getSelections()) {
      if (!(s instanceof Field kf)) continue;
      if (local(type, kf.getName(), graph, provided)) {
        fetches.add(
            () -> {
              if (injected.add(AstPrinterHolder.print(kf))) out.add(kf);
            });
        continue;
      }
      String o = enclosingOwner(type, kf.getName(), graph);
      if (o == null) return false;
      Level up = levels.peek();
      fetches.add(() -> fetchThroughEnclosing(up, o, owner, kf));
    }
    fetches.forEach(Runnable::run);
    return true;
  }

  /**
   * True when {@code target} has a resolvable key of {@code type} whose fields {@code graph}
   * resolves ({@code @external} ones it does not): else no representation can be sent there.
   */
  private boolean keyFillable(String type, String target, String graph, SelectionSet provided) {
    Supergraph.Key k = keyFor(type, target, graph);
    if (k == null) return false;
    for (Selection<?> s : fieldSet(k.fields()).getSelections()) {
      if (s instanceof Field kf && !local(type, kf.getName(), graph, provided)) return false;
    }
    return true;
  }

  private boolean abstractType(String type) {
    GraphQLType t = schema.getType(type);
    return t instanceof GraphQLInterfaceType || t instanceof GraphQLUnionType;
  }

  /**
   * For a fragment on abstract type {@code tc} below {@code parentType}: the object types it can
   * match there, when some of them belong to {@code tc} only in other graphs (this graph would not
   * match them to it); null when the fragment can stay as it is.
   */
  private List<String> membersElsewhere(String tc, String parentType, String graph) {
    if (tc.equals(parentType) || !abstractType(tc)) return null;
    Set<String> underParent = concrete(parentType);
    List<String> types = new ArrayList<>();
    boolean elsewhere = false;
    for (String t : concrete(tc)) {
      if (!(schema.getType(t) instanceof GraphQLObjectType) || !underParent.contains(t)) continue;
      if (!supergraph.knows(t, graph)) continue;
      if (abstractType(parentType) && !supergraph.memberIn(t, parentType, graph)) continue;
      types.add(t);
      if (!supergraph.memberIn(t, tc, graph)) elsewhere = true;
    }
    Collections.sort(types);
    return elsewhere ? types : null;
  }

  /**
   * Plans {@code f}, owned by {@code target} and requiring {@code req} of which some fields are not
   * in {@code graph}: those come from their own graphs first (recursively when they require fields
   * in turn, a chain of {@code @requires}), then the requiring fetch follows the last of them.
   * Returns that fetch.
   */
  private Step fetchAfterRequirements(
      Field f,
      String target,
      String req,
      String parentType,
      String graph,
      List<String> path,
      Map<String, Step> boundaries,
      Step owner,
      List<Selection> out,
      Set<String> injected) {
    SelectionSet rs = requiredSet(req);
    Step last = owner;
    List<Selection> local = new ArrayList<>();
    for (Selection<?> s : rs.getSelections()) {
      if (!(s instanceof Field rf)) continue;
      if (supergraph.resolvable(parentType, rf.getName(), graph)) {
        local.add(rf);
        continue;
      }
      String provider = pickOwner(parentType, rf.getName(), graph);
      String inner = requires(parentType, rf.getName(), provider);
      if (inner != null && !allResolvable(fieldSet(inner), parentType, graph)) {
        last =
            fetchAfterRequirements(
                rf, provider, inner, parentType, graph, path, boundaries, owner, out, injected);
      } else {
        Step p = boundary(provider, parentType, path, boundaries, owner, out, injected, "");
        p.raw.add(rf);
        if (inner != null) addRepresentation(p, requiredSet(inner), out, injected);
        last = p;
      }
    }
    Step from = last;
    String tag =
        separateTag(
            "after:" + path + "@" + System.identityHashCode(from),
            target,
            parentType,
            List.of(),
            boundaries,
            rs);
    if (from == owner) {
      // nothing to wait for (the remote parts were in fragments): an ordinary fetch
      Step b = boundary(target, parentType, path, boundaries, owner, out, injected, tag);
      b.raw.add(f);
      addRepresentation(b, rs, out, injected);
      return b;
    }
    Step c = boundary(target, parentType, List.of(), boundaries, from, null, null, tag);
    c.raw.add(f);
    // the requiring graph's key may differ from the provider's: fetched here when this graph has
    // it, else by the provider
    for (Selection<?> k : c.representation.getSelections()) {
      String pk = AstPrinterHolder.print(k);
      if (k instanceof Field kf && supergraph.resolvable(parentType, kf.getName(), graph)) {
        if (injected.add(pk)) out.add(k);
      } else if (from.raw.stream().noneMatch(x -> AstPrinterHolder.print(x).equals(pk))) {
        from.raw.add(k);
      }
    }
    addRepresentation(c, rs, null, null);
    for (Selection<?> l : local) if (injected.add(AstPrinterHolder.print(l))) out.add(l);
    return c;
  }

  /**
   * Fields selected on an interface or union that this graph cannot resolve for every possible type
   * (owned elsewhere, or needing {@code @requires} per type) are re-selected per concrete type
   * ({@code ... on Book {...}}), so each type continues through its own keys and requirements.
   */
  private SelectionSet explodeAbstract(
      SelectionSet ss, String parentType, String graph, SelectionSet provided) {
    GraphQLType t = schema.getType(parentType);
    if (!(t instanceof GraphQLInterfaceType) && !(t instanceof GraphQLUnionType)) return ss;
    if (supergraph.interfaceObject(parentType, graph)) return ss;
    List<String> possible = new ArrayList<>();
    for (String c : concrete(parentType)) {
      if (!c.equals(parentType)
          && supergraph.knows(c, graph)
          && supergraph.memberIn(c, parentType, graph)) possible.add(c);
    }
    Collections.sort(possible);
    List<Selection> direct = new ArrayList<>();
    List<Selection> rest = new ArrayList<>();
    boolean needed = false;
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f && !f.getName().startsWith("__")) {
        direct.add(f);
        if (!local(parentType, f.getName(), graph, provided)
            && !ownedByStandIn(parentType, f.getName())) needed = true;
        for (String c : possible) {
          if (supergraph.owners(c, f.getName()).isEmpty()) continue;
          if (!local(c, f.getName(), graph, provided) || requires(c, f.getName(), graph) != null)
            needed = true;
        }
      } else rest.add(s);
    }
    if (!needed) return ss;
    List<Selection> out = new ArrayList<>(rest);
    for (String c : possible) {
      out.add(
          InlineFragment.newInlineFragment()
              .typeCondition(new TypeName(c))
              .selectionSet(new SelectionSet(direct))
              .build());
    }
    return new SelectionSet(out);
  }

  /**
   * The key of {@code type} in {@code target} that {@code from} can fill, else its first resolvable
   * key (null without one).
   */
  private Supergraph.Key keyFor(String type, String target, String from) {
    Supergraph.TypeInfo t = supergraph.type(type);
    if (t == null) return null;
    for (Supergraph.Key k : t.keys) {
      if (k.graph().equals(target)
          && k.resolvable()
          && allResolvable(fieldSet(k.fields()), type, from)) return k;
    }
    return supergraph.key(type, target);
  }

  /**
   * When no key of {@code type} in {@code target} can be filled from {@code graph}: another graph
   * reachable by a key {@code graph} can fill that resolves one of the target's keys, else null.
   */
  private String keyHop(String type, String target, String graph) {
    Supergraph.Key tk = keyFor(type, target, graph);
    if (tk == null || allResolvable(fieldSet(tk.fields()), type, graph)) return null;
    Supergraph.TypeInfo t = supergraph.type(type);
    for (Supergraph.Key k : t.keys) {
      String h = k.graph();
      if (h.equals(graph) || h.equals(target) || !k.resolvable()) continue;
      if (!allResolvable(fieldSet(k.fields()), type, graph)) continue;
      Supergraph.Key via = keyFor(type, target, h);
      if (via != null && allResolvable(fieldSet(via.fields()), type, h)) return h;
    }
    return null;
  }

  /** A graph holding the interface as a real interface with a resolvable key, or null. */
  private String realGraph(String type) {
    Supergraph.TypeInfo t = supergraph.type(type);
    if (t == null) return null;
    for (Supergraph.Key k : t.keys) {
      if (k.resolvable() && !t.interfaceObjectIn.contains(k.graph())) return k.graph();
    }
    return null;
  }

  /**
   * For a field of an object type that no graph resolves on the type itself: the interface through
   * whose {@code @interfaceObject} stand-in it is resolved, or null.
   */
  private String standInInterface(String type, String field) {
    if (!supergraph.owners(type, field).isEmpty()) return null;
    if (!(schema.getType(type) instanceof GraphQLObjectType o)) return null;
    for (GraphQLNamedOutputType i : o.getInterfaces()) {
      if (ownedByStandIn(i.getName(), field)) return i.getName();
    }
    return null;
  }

  private boolean ownedByStandIn(String iface, String field) {
    List<String> owners = supergraph.owners(iface, field);
    return !owners.isEmpty() && owners.stream().allMatch(g -> supergraph.interfaceObject(iface, g));
  }

  private Step boundary(
      String target,
      String parentType,
      List<String> path,
      Map<String, Step> boundaries,
      Step owner,
      List<Selection> out,
      Set<String> injected,
      String tag) {
    String bkey = boundaryKey(target, parentType, path, tag);
    Step b = boundaries.get(bkey);
    if (b == null) {
      b = new Step(target, parentType, path, concrete(parentType));
      b.raw = new ArrayList<>();
      if (supergraph.interfaceObject(parentType, target)) b.representationTypename = parentType;
      b.afterSiblings = tag.startsWith("after:");
      boundaries.put(bkey, b);
      owner.children.add(b);
      pending.add(b);
      Supergraph.Key key = keyFor(parentType, target, owner.graph);
      b.representation = fieldSet(key == null ? "" : key.fields());
    }
    if (out != null) {
      if (injected.add("__typename")) out.add(new Field("__typename"));
      for (Selection<?> k : b.representation.getSelections()) {
        if (injected.add(AstPrinterHolder.print(k))) out.add(k);
      }
    }
    return b;
  }

  /**
   * {@code tag}, or a variant of it, naming a fetch whose representations can carry {@code
   * required}: two fields requiring the same field with different arguments ({@code price(currency:
   * "USD")}, {@code price(currency: "EUR")}) need separate fetches, a representation holding one
   * value per field.
   */
  private String separateTag(
      String tag,
      String target,
      String type,
      List<String> path,
      Map<String, Step> boundaries,
      SelectionSet required) {
    if (required == null) return tag;
    for (int n = 0; ; n++) {
      String t = n == 0 ? tag : tag + "#" + n;
      Step b = boundaries.get(boundaryKey(target, type, path, t));
      if (b == null || !conflicting(b.representation, required)) return t;
    }
  }

  private static String boundaryKey(String target, String type, List<String> path, String tag) {
    return target + "|" + type + "|" + path + "|" + tag;
  }

  /** True when both sets hold a field under the same name read back from different keys. */
  private static boolean conflicting(SelectionSet a, SelectionSet b) {
    for (Selection<?> x : a.getSelections()) {
      if (!(x instanceof Field fx)) continue;
      for (Selection<?> y : b.getSelections()) {
        if (!(y instanceof Field fy) || !fx.getName().equals(fy.getName())) continue;
        if (!fx.getResultKey().equals(fy.getResultKey())) return true;
        if (fx.getSelectionSet() != null
            && fy.getSelectionSet() != null
            && conflicting(fx.getSelectionSet(), fy.getSelectionSet())) return true;
      }
    }
    return false;
  }

  private void addRepresentation(
      Step b, SelectionSet extra, List<Selection> out, Set<String> injected) {
    List<Selection> merged = new ArrayList<>(b.representation.getSelections());
    for (Selection<?> s : extra.getSelections()) {
      String printed = AstPrinterHolder.print(s);
      if (merged.stream().noneMatch(m -> AstPrinterHolder.print(m).equals(printed))) merged.add(s);
      if (out != null && injected.add(printed)) out.add(s);
    }
    b.representation = new SelectionSet(merged);
  }

  private boolean allResolvable(SelectionSet fs, String type, String graph) {
    for (Selection<?> s : fs.getSelections()) {
      if (s instanceof Field f && !supergraph.resolvable(type, f.getName(), graph)) return false;
    }
    return true;
  }

  /** Resolvable by the graph itself, or provided there by an enclosing {@code @provides}. */
  private boolean local(String type, String field, String graph, SelectionSet provided) {
    return supergraph.resolvable(type, field, graph)
        || providedField(provided, type, field) != null;
  }

  /** The field of a {@code @provides} selection that covers {@code type.field}, or null. */
  private Field providedField(SelectionSet provided, String type, String field) {
    if (provided == null) return null;
    for (Selection<?> s : provided.getSelections()) {
      if (s instanceof Field f && f.getName().equals(field)) return f;
      if (s instanceof InlineFragment i
          && (i.getTypeCondition() == null || i.getTypeCondition().getName().equals(type))) {
        Field inner = providedField(i.getSelectionSet(), type, field);
        if (inner != null) return inner;
      }
    }
    return null;
  }

  private Field projectField(
      Field f,
      String parentType,
      String graph,
      List<String> path,
      Step owner,
      SelectionSet provided) {
    if (f.getSelectionSet() == null) return f;
    GraphQLFieldsContainer container = (GraphQLFieldsContainer) schema.getType(parentType);
    GraphQLFieldDefinition def =
        container == null ? null : container.getFieldDefinition(f.getName());
    String childType =
        def == null
            ? supergraph.type(parentType).fields.get(f.getName()).typeName
            : GraphQLTypeUtil.unwrapAll(def.getType()).getName();
    // the graph may declare a narrower type (an object where the supergraph has a union)
    Supergraph.FieldInfo declared =
        supergraph.type(parentType) == null
            ? null
            : supergraph.type(parentType).fields.get(f.getName());
    if (declared != null && declared.typeIn.get(graph) != null) {
      childType = declared.typeIn.get(graph);
    }
    List<String> childPath = new ArrayList<>(path);
    childPath.add(f.getResultKey());
    Map<String, Step> boundaries = new LinkedHashMap<>();
    // what the graph provides below this field: from an enclosing @provides or the field's own
    Field pf = providedField(provided, parentType, f.getName());
    SelectionSet childProvided = pf == null ? null : pf.getSelectionSet();
    Supergraph.FieldInfo info =
        supergraph.type(parentType) == null
            ? null
            : supergraph.type(parentType).fields.get(f.getName());
    if (info != null && info.provides.get(graph) != null) {
      List<Selection> all = new ArrayList<>(fieldSet(info.provides.get(graph)).getSelections());
      if (childProvided != null) all.addAll(childProvided.getSelections());
      childProvided = new SelectionSet(all);
    }
    SelectionSet sub =
        project(f.getSelectionSet(), childType, graph, childPath, boundaries, owner, childProvided);
    if (!sub.getSelections().stream()
        .anyMatch(s -> s instanceof Field x && x.getName().equals("__typename"))) {
      List<Selection> with = new ArrayList<>(sub.getSelections());
      with.add(new Field("__typename"));
      sub = new SelectionSet(with);
    }
    SelectionSet finalSub = sub;
    return f.transform(b -> b.selectionSet(finalSub));
  }

  private String pickOwner(String type, String field, String current) {
    List<String> owners = supergraph.owners(type, field);
    for (String o : owners) if (supergraph.key(type, o) != null) return o;
    return owners.isEmpty() ? current : owners.get(0);
  }

  private String requires(String type, String field, String graph) {
    Supergraph.TypeInfo t = supergraph.type(type);
    if (t == null || t.fields.get(field) == null) return null;
    return t.fields.get(field).requires.get(graph);
  }

  private Set<String> concrete(String type) {
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

  static SelectionSet fieldSet(String fields) {
    if (fields == null || fields.isBlank()) return new SelectionSet(new ArrayList<>());
    Document d = Parser.parse("{" + fields + "}");
    return ((OperationDefinition) d.getDefinitions().get(0)).getSelectionSet();
  }

  /**
   * A {@code @requires} field set whose fields with arguments carry an alias derived from their
   * arguments: the client may select the same field with other arguments in the same fetch, which
   * the subgraph would refuse; representations are read back by that alias.
   */
  static SelectionSet requiredSet(String fields) {
    return aliasArgumentFields(fieldSet(fields));
  }

  private static SelectionSet aliasArgumentFields(SelectionSet ss) {
    List<Selection> out = new ArrayList<>();
    for (Selection<?> s : ss.getSelections()) {
      if (s instanceof Field f) {
        SelectionSet sub =
            f.getSelectionSet() == null ? null : aliasArgumentFields(f.getSelectionSet());
        String alias =
            f.getArguments().isEmpty()
                ? f.getAlias()
                : f.getName()
                    + "__req_"
                    + Integer.toUnsignedString(
                        AstPrinterHolder.print(new Field(f.getName(), f.getArguments())).hashCode(),
                        36);
        out.add(f.transform(b -> b.alias(alias).selectionSet(sub)));
      } else if (s instanceof InlineFragment i) {
        out.add(i.transform(b -> b.selectionSet(aliasArgumentFields(i.getSelectionSet()))));
      } else out.add(s);
    }
    return new SelectionSet(out);
  }

  private static final class AstPrinterHolder {
    static String print(Node<?> n) {
      return AstPrinter.printAstCompact(n);
    }
  }
}
