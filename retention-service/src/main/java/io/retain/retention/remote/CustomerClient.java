package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** customer-service over HTTP (circuit breaker and time limiter "customer"). */
@Component
public class CustomerClient {

  static final String PROFILES =
      """
      query($ids: [ID!]!) { customerProfiles(ids: $ids) {
        id kind industry valueTier region status since churnReasons } }""";

  private final GraphQlRemote remote;

  CustomerClient(
      WebClient.Builder builder,
      RemoteProperties props,
      JsonMapper json,
      ServiceToken token,
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters) {
    this.remote =
        new GraphQlRemote(
            builder.clone().baseUrl(props.customer().url()).build(),
            json,
            token,
            breakers.circuitBreaker("customer"),
            limiters.timeLimiter("customer"));
  }

  /** Profiles of the given customers; unknown ids are left out. */
  public Mono<List<CustomerProfile>> customerProfiles(Collection<String> ids) {
    return remote
        .query(
            PROFILES, Map.of("ids", List.copyOf(ids)), "customerProfiles", CustomerProfile[].class)
        .map(List::of);
  }
}
