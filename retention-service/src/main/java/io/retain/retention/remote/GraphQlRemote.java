package io.retain.retention.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A GraphQL POST to another service behind its named circuit breaker and time limiter. */
final class GraphQlRemote {

  /**
   * A page of 500 warnings with their risk factors, or 1,000 customers' loyalty, is well above
   * WebFlux's default 256 KB answer buffer; every poll of the demo data's first warnings failed on
   * it.
   */
  static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

  private final WebClient http;
  private final JsonMapper json;
  private final ServiceToken token;
  private final CircuitBreaker breaker;
  private final TimeLimiter limiter;

  GraphQlRemote(
      WebClient http,
      JsonMapper json,
      ServiceToken token,
      CircuitBreaker breaker,
      TimeLimiter limiter) {
    this.http = http;
    this.json = json;
    this.token = token;
    this.breaker = breaker;
    this.limiter = limiter;
  }

  /** The {@code data.<field>} of the answer, converted; errors or no data fail the Mono. */
  <T> Mono<T> query(String document, Map<String, Object> variables, String field, Class<T> type) {
    return Mono.defer(
            () ->
                http.post()
                    .uri("/graphql")
                    .header("Authorization", token.bearer())
                    .bodyValue(Map.of("query", document, "variables", variables))
                    .retrieve()
                    .bodyToMono(JsonNode.class))
        .map(
            body -> {
              JsonNode data = body.path("data").path(field);
              if (body.has("errors") || data.isMissingNode() || data.isNull()) {
                throw new RemoteException(
                    breaker.getName(),
                    breaker.getName() + " answered " + field + " with " + body.path("errors"),
                    null);
              }
              return json.treeToValue(data, type);
            })
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        // one exception type for every way a call can fail (HTTP, timeout, open breaker)
        .onErrorMap(
            e -> !(e instanceof RemoteException),
            e ->
                new RemoteException(
                    breaker.getName(), breaker.getName() + " unavailable: " + e, e));
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
      String document, Map<String, Object> variables, String field, String after) {
    Map<String, Object> vars = new HashMap<>(variables);
    vars.put("after", after);
    return query(document, vars, field, IdPage.class);
  }
}
