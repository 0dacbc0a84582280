package io.retain.gateway.document;

import graphql.parser.ParserOptions;

/**
 * The parser's own limits, checked while it reads, so a hostile document is refused before any tree
 * is built: they back up the byte limit (a 64 KB document of one-character tokens is still 32,000
 * tokens).
 *
 * @param maxCharacters characters read before the parser gives up
 * @param maxTokens grammar tokens (names, punctuation, values)
 * @param maxWhitespaceTokens whitespace, commas and comments
 * @param maxRuleDepth nesting of grammar rules (bounds the parser's recursion)
 */
public record ParserLimits(
    int maxCharacters, int maxTokens, int maxWhitespaceTokens, int maxRuleDepth) {

  /** Defaults: a 64 KB document, the largest screen query has ~1,000 tokens. */
  public static ParserLimits defaults() {
    return new ParserLimits(64 * 1024, 15_000, 100_000, 500);
  }

  /** graphql-java's options for these limits. */
  public ParserOptions options() {
    return ParserOptions.getDefaultParserOptions()
        .transform(
            o ->
                o.maxCharacters(maxCharacters)
                    .maxTokens(maxTokens)
                    .maxWhitespaceTokens(maxWhitespaceTokens)
                    .maxRuleDepth(maxRuleDepth));
  }
}
