package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.support.graphql.RemoteDocuments;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * customer-service over HttpGraphQlClient with documents in graphql-documents/ (circuit breaker and
 * time limiter "customer").
 */
@Component
public class CustomerClient {

  static final String PROFILES = RemoteDocuments.load("customerProfiles");

  static final String OUTCOMES = RemoteDocuments.load("customerOutcomes");

  static final String CUSTOMERS = RemoteDocuments.load("customers");

  /** customer-service's largest page of customers. */
  static final int PAGE = 500;

  private final GraphQlRemote remote;

  CustomerClient(
      WebClient.Builder builder,
      RemoteProperties props,
      ServiceToken token,
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters) {
    this.remote =
        new GraphQlRemote(
            builder,
            props.customer().url(),
            token,
            breakers.circuitBreaker("customer"),
            limiters.timeLimiter("customer"));
  }

  /** Outcome aggregates of the given customers over [from, to]. */
  public Mono<List<CustomerOutcome>> customerOutcomes(
      Collection<String> ids, java.time.LocalDate from, java.time.LocalDate to) {
    return remote
        .query(
            OUTCOMES,
            Map.of("ids", List.copyOf(ids), "from", from.toString(), "to", to.toString()),
            "customerOutcomes",
            CustomerOutcome[].class)
        .map(List::of);
  }

  /** Profiles of the given customers; unknown ids are left out. */
  public Mono<List<CustomerProfile>> customerProfiles(Collection<String> ids) {
    return remote
        .query(
            PROFILES, Map.of("ids", List.copyOf(ids)), "customerProfiles", CustomerProfile[].class)
        .map(List::of);
  }

  /**
   * Ids of every customer of any of the kinds, industries and value tiers (an empty list does not
   * filter), in customer-service's order.
   */
  public Mono<List<String>> customerIds(
      List<String> kinds, List<String> industries, List<String> valueTiers) {
    Map<String, Object> filter = new HashMap<>();
    ScoringClient.putIfAny(filter, "kinds", kinds);
    ScoringClient.putIfAny(filter, "industries", industries);
    ScoringClient.putIfAny(filter, "valueTiers", valueTiers);
    return remote.allIds(CUSTOMERS, Map.of("filter", filter, "first", PAGE), "customers");
  }
}
