package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** scoring-service over HTTP (circuit breaker and time limiter "scoring"). */
@Component
public class ScoringClient {

  static final String WARNING_FEED =
      """
      query($after: Long!, $limit: Int!) { warningFeed(after: $after, limit: $limit) {
        seq customerId asOf createdAt fromTier toTier scoreBefore scoreAfter reasons
        riskFactors { code severity value threshold pointsLost message } } }""";

  private final GraphQlRemote remote;

  ScoringClient(
      WebClient.Builder builder,
      RemoteProperties props,
      JsonMapper json,
      ServiceToken token,
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters) {
    this.remote =
        new GraphQlRemote(
            builder.clone().baseUrl(props.scoring().url()).build(),
            json,
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
}
