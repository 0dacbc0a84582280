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
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses operations that would cost the subgraphs too much, before anything is planned: document
 * size, selection depth, number of aliases and an estimated complexity (every field costs 1, and a
 * field with a {@code first}/{@code last}/{@code limit} argument multiplies the cost of what it
 * selects by that number).
 */
public final class QueryLimits {

  /**
   * The limits.
   *
   * @param maxDocumentBytes UTF-8 size of the query text
   * @param maxDepth nesting of field selections (fragments count where they are spread)
   * @param maxAliases aliased fields in the whole operation
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

  private final Limits limits;

  public QueryLimits(Limits limits) {
    this.limits = limits;
  }

  /**
   * Parsed documents by text: clients send the same few operations over and over, and parsing was
   * the largest part of the gateway's own work per request. Bounded like the engine's caches.
   */
  private final Map<String, Optional<Document>> parsed = new ConcurrentHashMap<>();

  private Document parse(String query) {
    if (parsed.size() > 2000) parsed.clear();
    return parsed.computeIfAbsent(query, QueryLimits::parseOnce).orElse(null);
  }

  private static Optional<Document> parseOnce(String query) {
    try {
      // the parser's own token limit backs up the byte limit against pathological documents
      ParserOptions options =
          ParserOptions.getDefaultParserOptions().transform(o -> o.maxTokens(100_000));
      return Optional.of(
          new Parser()
              .parseDocument(
                  ParserEnvironment.newParserEnvironment()
                      .document(query)
                      .parserOptions(options)
                      .build()));
    } catch (InvalidSyntaxException e) {
      return Optional.empty();
    }
  }

  /** Checks a query; the variables give values to {@code first: $n}. */
  public Optional<Violation> check(
      String query, String operationName, Map<String, Object> variables) {
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
    Document doc = parse(query);
    if (doc == null) {
      return Optional.empty(); // the executor reports syntax errors the standard way
    }
    Map<String, FragmentDefinition> fragments = new HashMap<>();
    for (FragmentDefinition f : doc.getDefinitionsOfType(FragmentDefinition.class)) {
      fragments.put(f.getName(), f);
    }
    List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
    for (OperationDefinition op : ops) {
      if (operationName != null && !operationName.equals(op.getName())) {
        continue;
      }
      Walk w = new Walk(fragments, variables == null ? Map.of() : variables);
      long cost = w.cost(op.getSelectionSet(), 1, new HashSet<>());
      if (w.maxDepth > limits.maxDepth()) {
        return Optional.of(
            new Violation(
                "QUERY_TOO_DEEP",
                "The query nests "
                    + w.maxDepth
                    + " levels; at most "
                    + limits.maxDepth()
                    + " are allowed",
                limits.maxDepth(),
                w.maxDepth));
      }
      if (w.aliases > limits.maxAliases()) {
        return Optional.of(
            new Violation(
                "TOO_MANY_ALIASES",
                "The query uses "
                    + w.aliases
                    + " aliases; at most "
                    + limits.maxAliases()
                    + " are allowed",
                limits.maxAliases(),
                w.aliases));
      }
      if (cost > limits.maxComplexity()) {
        return Optional.of(
            new Violation(
                "QUERY_TOO_COMPLEX",
                "The query's estimated complexity is "
                    + cost
                    + "; at most "
                    + limits.maxComplexity()
                    + " is allowed (lower first/last or select fewer fields)",
                limits.maxComplexity(),
                cost));
      }
    }
    return Optional.empty();
  }

  /** One pass over an operation, fragments expanded where spread. */
  private static final class Walk {
    final Map<String, FragmentDefinition> fragments;
    final Map<String, Object> variables;
    int maxDepth;
    int aliases;

    Walk(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
      this.fragments = fragments;
      this.variables = variables;
    }

    long cost(SelectionSet set, int depth, Set<String> spreading) {
      if (set == null) {
        return 0;
      }
      long total = 0;
      for (Selection<?> s : set.getSelections()) {
        if (s instanceof Field f) {
          if (f.getAlias() != null) {
            aliases++;
          }
          maxDepth = Math.max(maxDepth, depth);
          long children = cost(f.getSelectionSet(), depth + 1, spreading);
          total = saturatingAdd(total, saturatingAdd(1, saturatingMul(multiplier(f), children)));
        } else if (s instanceof InlineFragment i) {
          total = saturatingAdd(total, cost(i.getSelectionSet(), depth, spreading));
        } else if (s instanceof FragmentSpread sp) {
          FragmentDefinition def = fragments.get(sp.getName());
          if (def != null && spreading.add(sp.getName())) { // a cycle is a validation error later
            total = saturatingAdd(total, cost(def.getSelectionSet(), depth, spreading));
            spreading.remove(sp.getName());
          }
        }
      }
      return total;
    }

    long multiplier(Field f) {
      for (Argument a : f.getArguments()) {
        String n = a.getName();
        if (!n.equals("first") && !n.equals("last") && !n.equals("limit")) {
          continue;
        }
        if (a.getValue() instanceof IntValue iv) {
          return clamp(iv.getValue());
        }
        if (a.getValue() instanceof VariableReference v
            && variables.get(v.getName()) instanceof Number num) {
          return clamp(BigInteger.valueOf(num.longValue()));
        }
      }
      return 1;
    }

    static long clamp(BigInteger v) {
      return Math.max(1, v.min(BigInteger.valueOf(1_000_000)).longValue());
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
}
