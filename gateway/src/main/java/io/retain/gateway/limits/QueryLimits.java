package io.retain.gateway.limits;

import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.document.ParsedDocument;
import io.retain.gateway.document.ParserLimits;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Refuses operations that would cost the subgraphs too much, before anything is planned: document
 * size, the parser's token and nesting limits, selection depth, number of aliases and an estimated
 * complexity (every field costs 1, and a field with a {@code first}/{@code last}/{@code limit}
 * argument multiplies the cost of what it selects by that number). Each check is linear in the
 * document: a fragment is measured once however often it is spread.
 */
public final class QueryLimits {

  /**
   * The limits.
   *
   * @param maxDocumentBytes UTF-8 size of the query text
   * @param maxDepth nesting of field selections (fragments count where they are spread)
   * @param maxAliases aliased fields in the whole operation (fragments count where spread)
   * @param maxComplexity estimated fields resolved
   */
  public record Limits(int maxDocumentBytes, int maxDepth, int maxAliases, long maxComplexity) {
    /** Defaults generous for the product's screens, tight for abuse. */
    public static Limits defaults() {
      return new Limits(64 * 1024, 12, 30, 20_000);
    }
  }

  /** Why an operation was refused: a stable code, the limit and what the operation needed. */
  public record Violation(String code, String message, long limit, long actual) {}

  /** Arguments whose value multiplies the cost of what the field selects. */
  private static final List<String> PAGE_SIZES = List.of("first", "last", "limit");

  private final Limits limits;
  private final DocumentCache documents;

  /** Limits with a cache of their own (tests). */
  public QueryLimits(Limits limits) {
    this(
        limits,
        new DocumentCache(
            new ParserLimits(
                limits.maxDocumentBytes(),
                ParserLimits.defaults().maxTokens(),
                ParserLimits.defaults().maxWhitespaceTokens(),
                ParserLimits.defaults().maxRuleDepth()),
            16L << 20));
  }

  /** Limits sharing the gateway's document cache (the engine reuses the parsed tree). */
  public QueryLimits(Limits limits, DocumentCache documents) {
    this.limits = limits;
    this.documents = documents;
  }

  /** Checks a query without a schema: page sizes only from the document and the variables. */
  public Optional<Violation> check(
      String query, @Nullable String operationName, @Nullable Map<String, Object> variables) {
    return check(query, operationName, variables, null);
  }

  /**
   * Checks a query. A page size ({@code first: $n}) is the supplied variable, else the variable's
   * default, else the argument's default in {@code schema} (when given).
   */
  public Optional<Violation> check(
      String query,
      @Nullable String operationName,
      @Nullable Map<String, Object> variables,
      @Nullable GraphQLSchema schema) {
    int bytes = query.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxDocumentBytes()) {
      return Optional.of(
          new Violation(
              "DOCUMENT_TOO_LARGE",
              "The query is "
                  + bytes
                  + " bytes; at most "
                  + limits.maxDocumentBytes()
                  + " are accepted",
              limits.maxDocumentBytes(),
              bytes));
    }
    ParsedDocument parsed = documents.get(query);
    ParsedDocument.Cancelled c = parsed.cancelled();
    if (c != null) {
      // the parser stopped at limit + 1
      return Optional.of(new Violation(c.code(), c.message(), c.limit(), c.limit() + 1));
    }
    Document doc = parsed.document();
    if (doc == null) {
      return Optional.empty(); // the executor reports syntax errors the standard way
    }
    Map<String, FragmentDefinition> fragments = new HashMap<>();
    for (FragmentDefinition f : doc.getDefinitionsOfType(FragmentDefinition.class)) {
      fragments.putIfAbsent(f.getName(), f);
    }
    for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
      if (operationName != null && !operationName.equals(op.getName())) {
        continue;
      }
      Walk w = new Walk(fragments, pageSizes(op, variables), schema);
      Measure m = w.measure(op.getSelectionSet(), rootType(schema, op));
      Optional<Violation> v = violation(m);
      if (v.isPresent()) return v;
    }
    return Optional.empty();
  }

  private Optional<Violation> violation(Measure m) {
    if (m.depth > limits.maxDepth()) {
      return Optional.of(
          new Violation(
              "QUERY_TOO_DEEP",
              "The query nests "
                  + m.depth
                  + " levels; at most "
                  + limits.maxDepth()
                  + " are allowed",
              limits.maxDepth(),
              m.depth));
    }
    if (m.aliases > limits.maxAliases()) {
      return Optional.of(
          new Violation(
              "TOO_MANY_ALIASES",
              "The query uses "
                  + m.aliases
                  + " aliases; at most "
                  + limits.maxAliases()
                  + " are allowed",
              limits.maxAliases(),
              m.aliases));
    }
    if (m.cost > limits.maxComplexity()) {
      return Optional.of(
          new Violation(
              "QUERY_TOO_COMPLEX",
              "The query's estimated complexity is "
                  + m.cost
                  + "; at most "
                  + limits.maxComplexity()
                  + " is allowed (lower first/last or select fewer fields)",
              limits.maxComplexity(),
              m.cost));
    }
    return Optional.empty();
  }

  /** Each variable's effective value: supplied, else its default in the operation. */
  private static Map<String, Object> pageSizes(
      OperationDefinition op, @Nullable Map<String, Object> supplied) {
    Map<String, Object> values = new HashMap<>();
    for (VariableDefinition d : op.getVariableDefinitions()) {
      if (d.getDefaultValue() instanceof IntValue iv) values.put(d.getName(), iv.getValue());
    }
    if (supplied != null) {
      supplied.forEach(
          (k, v) -> {
            if (v != null) values.put(k, v);
          });
    }
    return values;
  }

  private static @Nullable GraphQLFieldsContainer rootType(
      @Nullable GraphQLSchema schema, OperationDefinition op) {
    if (schema == null) return null;
    return switch (op.getOperation()) {
      case QUERY -> schema.getQueryType();
      case MUTATION -> schema.getMutationType();
      case SUBSCRIPTION -> schema.getSubscriptionType();
    };
  }

  /** Cost, depth (levels of fields) and aliases of a selection, fragments expanded. */
  private record Measure(long cost, int depth, long aliases) {
    static final Measure NONE = new Measure(0, 0, 0);

    Measure plus(Measure o) {
      return new Measure(
          saturatingAdd(cost, o.cost), Math.max(depth, o.depth), saturatingAdd(aliases, o.aliases));
    }
  }

  /** One pass over an operation; each fragment measured once, then reused where it is spread. */
  private static final class Walk {
    final Map<String, FragmentDefinition> fragments;
    final Map<String, Object> variables;
    final @Nullable GraphQLSchema schema;
    final Map<String, Measure> measured = new HashMap<>();
    final Set<String> measuring = new HashSet<>();

    Walk(
        Map<String, FragmentDefinition> fragments,
        Map<String, Object> variables,
        @Nullable GraphQLSchema schema) {
      this.fragments = fragments;
      this.variables = variables;
      this.schema = schema;
    }

    Measure measure(@Nullable SelectionSet set, @Nullable GraphQLFieldsContainer type) {
      if (set == null) {
        return Measure.NONE;
      }
      Measure total = Measure.NONE;
      for (Selection<?> s : set.getSelections()) {
        if (s instanceof Field f) {
          GraphQLFieldDefinition def = type == null ? null : type.getFieldDefinition(f.getName());
          Measure children = measure(f.getSelectionSet(), container(def));
          Measure field =
              new Measure(
                  saturatingAdd(1, saturatingMul(multiplier(f, def), children.cost)),
                  children.depth + 1,
                  saturatingAdd(f.getAlias() != null ? 1 : 0, children.aliases));
          total = total.plus(field);
        } else if (s instanceof InlineFragment i) {
          GraphQLFieldsContainer inner =
              i.getTypeCondition() == null ? type : named(i.getTypeCondition().getName());
          total = total.plus(measure(i.getSelectionSet(), inner));
        } else if (s instanceof FragmentSpread sp) {
          total = total.plus(spread(sp.getName()));
        }
      }
      return total;
    }

    /** A fragment's measure, computed on its first spread; a cycle (a validation error) is 0. */
    Measure spread(String name) {
      Measure known = measured.get(name);
      if (known != null) return known;
      FragmentDefinition def = fragments.get(name);
      if (def == null || !measuring.add(name)) return Measure.NONE;
      Measure m = measure(def.getSelectionSet(), named(def.getTypeCondition().getName()));
      measuring.remove(name);
      measured.put(name, m);
      return m;
    }

    @Nullable GraphQLFieldsContainer named(String name) {
      return schema != null && schema.getType(name) instanceof GraphQLFieldsContainer c ? c : null;
    }

    static @Nullable GraphQLFieldsContainer container(@Nullable GraphQLFieldDefinition def) {
      if (def == null) return null;
      GraphQLType t = GraphQLTypeUtil.unwrapAll(def.getType());
      return t instanceof GraphQLFieldsContainer c ? c : null;
    }

    long multiplier(Field f, @Nullable GraphQLFieldDefinition def) {
      for (String name : PAGE_SIZES) {
        Argument a = argument(f, name);
        if (a != null) {
          if (a.getValue() instanceof IntValue iv) return clamp(iv.getValue());
          if (a.getValue() instanceof VariableReference v) {
            BigInteger n = integer(variables.get(v.getName()));
            if (n != null) return clamp(n);
          }
        }
        BigInteger byDefault = argumentDefault(def, name);
        if (byDefault != null) return clamp(byDefault);
      }
      return 1;
    }

    static @Nullable Argument argument(Field f, String name) {
      for (Argument a : f.getArguments()) {
        if (a.getName().equals(name)) return a;
      }
      return null;
    }

    static @Nullable BigInteger argumentDefault(@Nullable GraphQLFieldDefinition def, String name) {
      GraphQLArgument arg = def == null ? null : def.getArgument(name);
      if (arg == null || !arg.hasSetDefaultValue()) return null;
      Object value = arg.getArgumentDefaultValue().getValue();
      return value instanceof Value<?> literal ? integer(literal) : integer(value);
    }

    static @Nullable BigInteger integer(@Nullable Object value) {
      if (value instanceof IntValue iv) return iv.getValue();
      if (value instanceof BigInteger b) return b;
      if (value instanceof Number n) return BigInteger.valueOf(n.longValue());
      return null;
    }

    static long clamp(BigInteger v) {
      return Math.max(1, v.min(BigInteger.valueOf(1_000_000)).longValue());
    }
  }

  static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  static long saturatingMul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
