package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.support.graphql.RemoteDocuments;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * scoring-service over HttpGraphQlClient with documents in graphql-documents/ (circuit breaker and
 * time limiter "scoring").
 */
@Component
public class ScoringClient {

  static final String WARNING_FEED = RemoteDocuments.load("warningFeed");

  static final String BY_LOYALTY = RemoteDocuments.load("customersByLoyalty");

  /** scoring's largest page. */
  static final int PAGE = 1000;

  private final GraphQlRemote remote;

  ScoringClient(
      WebClient.Builder builder,
      RemoteProperties props,
      ServiceToken token,
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters) {
    this.remote =
        new GraphQlRemote(
            builder,
            props.scoring().url(),
            token,
            breakers.circuitBreaker("scoring"),
            limiters.timeLimiter("scoring"));
  }

  /** Warnings after {@code after} in seq order, at most {@code limit}. */
  public Mono<List<WarningEvent>> warningFeed(long after, int limit) {
    return remote
        .query(
            WARNING_FEED,
            Map.of("after", after, "limit", limit),
            "warningFeed",
            WarningEvent[].class)
        .map(List::of);
  }

  /**
   * Ids of every scored customer in any of the tiers, with any of the risk codes and in any of the
   * RFM segments (an empty list does not filter), in id order.
   */
  public Mono<List<String>> customerIdsByLoyalty(
      List<String> tiers, List<String> riskCodes, List<String> segments) {
    Map<String, Object> filter = new HashMap<>();
    putIfAny(filter, "tiers", tiers);
    putIfAny(filter, "riskCodes", riskCodes);
    putIfAny(filter, "segments", segments);
    return remote.allIds(BY_LOYALTY, Map.of("filter", filter, "first", PAGE), "customersByLoyalty");
  }

  static void putIfAny(Map<String, Object> filter, String key, List<String> values) {
    if (values != null && !values.isEmpty()) {
      filter.put(key, values);
    }
  }
}
