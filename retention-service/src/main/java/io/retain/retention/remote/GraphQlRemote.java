package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.retain.support.remote.ServiceInstances;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.client.FieldAccessException;
import org.springframework.graphql.client.HttpGraphQlClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * GraphQL calls to another service through {@link HttpGraphQlClient}, behind the service's named
 * Resilience4j circuit breaker and time limiter (application.yml), with a fresh SERVICE token on
 * every request.
 */
final class GraphQlRemote {

  /**
   * A page of 500 warnings with their risk factors, or 1,000 customers' loyalty, is well above
   * WebFlux's default 256 KB answer buffer; every poll of the demo data's first warnings failed on
   * it.
   */
  static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

  private final HttpGraphQlClient graphQl;
  private final CircuitBreaker breaker;
  private final TimeLimiter limiter;

  GraphQlRemote(
      WebClient.Builder builder,
      String urls,
      ServiceToken token,
      CircuitBreaker breaker,
      TimeLimiter limiter) {
    // one URL, or every replica's (comma-separated): balanced, a dead one skipped; retention only
    // queries, so a dropped call may go to the next instance as well
    ServiceInstances instances = ServiceInstances.of(breaker.getName(), urls, true);
    WebClient http =
        builder
            .clone()
            .baseUrl(instances.baseUrl() + "/graphql")
            .filter(instances)
            .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
            .filter(
                (request, next) ->
                    next.exchange(
                        ClientRequest.from(request)
                            .headers(h -> h.set("Authorization", token.bearer()))
                            .build()))
            .build();
    this.graphQl = HttpGraphQlClient.builder(http).build();
    this.breaker = breaker;
    this.limiter = limiter;
  }

  /** The {@code data.<field>} of the answer, converted; errors or no data fail the Mono. */
  <T> Mono<T> query(String document, Map<String, Object> variables, String field, Class<T> type) {
    return Mono.defer(
            () ->
                graphQl
                    .document(document)
                    .variables(variables)
                    .retrieve(field)
                    .toEntity(type)
                    .switchIfEmpty(Mono.error(() -> refused(field, "no data"))))
        .onErrorMap(
            FieldAccessException.class,
            e -> refused(field, String.valueOf(e.getResponse().getErrors())))
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        // one exception type for every way a call can fail (HTTP, timeout, open breaker)
        .onErrorMap(
            e -> !(e instanceof RemoteException),
            e ->
                new RemoteException(
                    breaker.getName(), breaker.getName() + " unavailable: " + e, e));
  }

  private RemoteException refused(String field, String errors) {
    return new RemoteException(
        breaker.getName(), breaker.getName() + " answered " + field + " with " + errors, null);
  }

  /**
   * The ids of every Customer node of a Relay connection field, page after page ({@code $after} is
   * set per page), in the service's order.
   */
  Mono<List<String>> allIds(String document, Map<String, Object> variables, String field) {
    return idPage(document, variables, field, null)
        .expand(
            p ->
                p.pageInfo().hasNextPage()
                    ? idPage(document, variables, field, p.pageInfo().endCursor())
                    : Mono.empty())
        .concatMapIterable(IdPage::edges)
        .map(e -> e.node().id())
        .collectList();
  }

  private Mono<IdPage> idPage(
      String document, Map<String, Object> variables, String field, @Nullable String after) {
    Map<String, Object> vars = new HashMap<>(variables);
    vars.put("after", after);
    return query(document, vars, field, IdPage.class);
  }
}
