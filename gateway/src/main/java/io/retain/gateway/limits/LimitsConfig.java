package io.retain.gateway.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The edge limits, from {@code retain.gateway.limits.*} (defaults in {@link QueryLimits.Limits}).
 */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties(
    LimitsConfig.LimitsProperties.class)
class LimitsConfig {

  /** Overrides of the default limits; zero keeps the default. */
  @ConfigurationProperties("retain.gateway.limits")
  record LimitsProperties(int maxDocumentBytes, int maxDepth, int maxAliases, long maxComplexity) {}

  @Bean
  QueryLimits queryLimits(LimitsProperties p) {
    QueryLimits.Limits d = QueryLimits.Limits.defaults();
    return new QueryLimits(
        new QueryLimits.Limits(
            p.maxDocumentBytes() > 0 ? p.maxDocumentBytes() : d.maxDocumentBytes(),
            p.maxDepth() > 0 ? p.maxDepth() : d.maxDepth(),
            p.maxAliases() > 0 ? p.maxAliases() : d.maxAliases(),
            p.maxComplexity() > 0 ? p.maxComplexity() : d.maxComplexity()));
  }
}
