package io.retain.gateway.execute;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Per-subgraph timeout, bulkhead and circuit breaker. Instances are named after the subgraph
 * ({@code resilience4j.*.instances.<subgraph>} in application.yml); a subgraph without its own
 * instance gets the {@code default} config, so supergraphs with any subgraph names work.
 */
@Component
public class SubgraphGuards {

  private final CircuitBreakerRegistry breakers;
  private final BulkheadRegistry bulkheads;
  private final TimeLimiterRegistry timeLimiters;

  public SubgraphGuards(
      CircuitBreakerRegistry breakers,
      BulkheadRegistry bulkheads,
      TimeLimiterRegistry timeLimiters) {
    this.breakers = breakers;
    this.bulkheads = bulkheads;
    this.timeLimiters = timeLimiters;
  }

  /**
   * The call with the subgraph's guards: the time limit covers one attempt, the bulkhead caps
   * concurrent calls, and the breaker (outermost) counts timeouts and failures but not a full
   * bulkhead, which is load rather than a sick subgraph.
   */
  public <T> Mono<T> guard(String subgraph, Mono<T> call) {
    return call.transformDeferred(TimeLimiterOperator.of(timeLimiters.timeLimiter(subgraph)))
        .transformDeferred(BulkheadOperator.of(bulkheads.bulkhead(subgraph)))
        .transformDeferred(CircuitBreakerOperator.of(breakers.circuitBreaker(subgraph)));
  }

  /** A short, client-safe reason for a failed call (no stack trace, no internal host names). */
  public static String reason(Throwable e) {
    if (e instanceof CallNotPermittedException) return "circuit breaker open";
    if (e instanceof BulkheadFullException) return "too many concurrent requests";
    if (e instanceof TimeoutException) return "timed out";
    if (e instanceof SubgraphHttpException h) return "HTTP " + h.status;
    if (e instanceof WebClientRequestException w) {
      return w.getCause() instanceof ConnectException ? "connection refused" : "request failed";
    }
    return "request failed";
  }

  /** A subgraph answered with a server error or a body that is not a GraphQL response. */
  public static final class SubgraphHttpException extends RuntimeException {
    final int status;

    public SubgraphHttpException(int status) {
      super("subgraph answered HTTP " + status);
      this.status = status;
    }
  }
}
