package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.support.graphql.RemoteDocuments;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

  static final String ACTIVE_CHURN_MODEL = RemoteDocuments.load("activeChurnModel");

  static final String BY_CHURN_RISK = RemoteDocuments.load("customersByChurnRisk");

  static final String CHURN_RISKS = RemoteDocuments.load("churnRisks");

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

  /** The version of scoring's active churn model; empty when no model is active. */
  public Mono<Integer> activeChurnModel() {
    return remote
        .query(ACTIVE_CHURN_MODEL, Map.of(), "churnModels", ChurnModelVersion[].class)
        .flatMap(
            models ->
                Mono.justOrEmpty(
                    Arrays.stream(models)
                        .filter(ChurnModelVersion::active)
                        .map(ChurnModelVersion::version)
                        .findFirst()));
  }

  /**
   * Ids of every customer whose churn probability under the active model is at least {@code
   * minimum}, highest first (empty when no model is active: ask {@link #activeChurnModel} first).
   */
  public Mono<List<String>> customerIdsByChurnRisk(double minimum) {
    return remote.allIds(
        BY_CHURN_RISK, Map.of("min", minimum, "first", PAGE), "customersByChurnRisk");
  }

  /**
   * The active model's churn risk of each customer that has one, in one request whatever the number
   * of ids (scoring batch-loads {@code Customer.churnRisk}); customers without a prediction, or
   * every customer when no model is active, are absent.
   */
  public Mono<Map<String, ChurnRisk>> churnRisks(Collection<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Mono.just(Map.of());
    }
    List<Map<String, String>> representations =
        customerIds.stream().map(id -> Map.of("__typename", "Customer", "id", id)).toList();
    return remote
        .query(
            CHURN_RISKS,
            Map.of("representations", representations),
            "_entities",
            ChurnEntity[].class)
        .map(
            entities -> {
              Map<String, ChurnRisk> risks = new HashMap<>();
              for (ChurnEntity e : entities) {
                if (e != null && e.churnRisk() != null) {
                  risks.put(
                      e.id(),
                      new ChurnRisk(
                          e.id(), e.churnRisk().probability(), e.churnRisk().modelVersion()));
                }
              }
              return risks;
            });
  }

  record ChurnModelVersion(int version, boolean active) {}

  record ChurnEntity(String id, @Nullable Prediction churnRisk) {
    record Prediction(double probability, int modelVersion) {}
  }

  static void putIfAny(Map<String, Object> filter, String key, List<String> values) {
    if (values != null && !values.isEmpty()) {
      filter.put(key, values);
    }
  }
}
