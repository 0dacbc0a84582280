package io.retain.gateway.limits;

import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.document.ParserLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The edge limits, from {@code retain.gateway.limits.*} (defaults in {@link QueryLimits.Limits} and
 * {@link ParserLimits}), and the document cache the limits and the engine share.
 */
@Configuration
@EnableConfigurationProperties(LimitsConfig.LimitsProperties.class)
class LimitsConfig {

  /**
   * Overrides of the default limits; zero (or unset) keeps the default.
   *
   * @param documentCache heap the cached parsed/validated/planned documents may hold together
   */
  @ConfigurationProperties("retain.gateway.limits")
  record LimitsProperties(
      int maxDocumentBytes,
      int maxDepth,
      int maxAliases,
      long maxComplexity,
      int maxTokens,
      int maxWhitespaceTokens,
      int maxRuleDepth,
      DataSize documentCache) {}

  @Bean
  DocumentCache documentCache(LimitsProperties p) {
    ParserLimits d = ParserLimits.defaults();
    ParserLimits parser =
        new ParserLimits(
            or(p.maxDocumentBytes(), QueryLimits.Limits.defaults().maxDocumentBytes()),
            or(p.maxTokens(), d.maxTokens()),
            or(p.maxWhitespaceTokens(), d.maxWhitespaceTokens()),
            or(p.maxRuleDepth(), d.maxRuleDepth()));
    long bytes = p.documentCache() == null ? 64L << 20 : p.documentCache().toBytes();
    return new DocumentCache(parser, bytes);
  }

  @Bean
  QueryLimits queryLimits(LimitsProperties p, DocumentCache documents) {
    QueryLimits.Limits d = QueryLimits.Limits.defaults();
    return new QueryLimits(
        new QueryLimits.Limits(
            or(p.maxDocumentBytes(), d.maxDocumentBytes()),
            or(p.maxDepth(), d.maxDepth()),
            or(p.maxAliases(), d.maxAliases()),
            p.maxComplexity() > 0 ? p.maxComplexity() : d.maxComplexity()),
        documents);
  }

  private static int or(int value, int otherwise) {
    return value > 0 ? value : otherwise;
  }
}
