package io.retain.gateway.observe;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The gateway's two observations and its error counter.
 *
 * <ul>
 *   <li>{@value #OPERATION}: one per client operation, tagged {@code operation.name} (bounded by
 *       {@link OperationNames}), {@code operation.type} and {@code outcome} ({@code ok}, {@code
 *       errors}: the answer carries GraphQL errors, {@code failed}: no answer).
 *   <li>{@value #FETCH}: one per subgraph request, tagged {@code subgraph} and {@code outcome} (
 *       {@code ok}, {@code errors}, or the gateway's failure code); on the span also the {@code
 *       _entities} batch size and the breaker state when the call was made.
 *   <li>{@value #ERRORS}: a counter per subgraph and error code ({@code extensions.code} of each
 *       error in the answer, {@code UNKNOWN} without one).
 * </ul>
 *
 * Each observation is a timer on {@code /actuator/prometheus} and, when tracing samples, a span;
 * with sampling off (the local default) a span costs an unsampled context and nothing is exported.
 */
@Component
public class GatewayTelemetry {

  public static final String OPERATION = "gateway.operation";
  public static final String FETCH = "gateway.subgraph.fetch";
  public static final String ERRORS = "gateway.subgraph.errors";

  /** Observes nothing and counts into no registry: for clients built outside Spring (tests). */
  public static final GatewayTelemetry NONE =
      new GatewayTelemetry(ObservationRegistry.NOOP, new CompositeMeterRegistry(), null, 0);

  private final ObservationRegistry observations;
  private final MeterRegistry meters;
  private final @Nullable CircuitBreakerRegistry breakers;
  private final OperationNames names;

  public GatewayTelemetry(
      ObservationRegistry observations,
      MeterRegistry meters,
      @Nullable CircuitBreakerRegistry breakers,
      @Value("${retain.gateway.metrics.max-operation-names:100}") int maxOperationNames) {
    this.observations = observations;
    this.meters = meters;
    this.breakers = breakers;
    this.names = new OperationNames(maxOperationNames);
  }

  /** The registry the subgraph HTTP client observes its requests in (their CLIENT spans). */
  public ObservationRegistry observationRegistry() {
    return observations;
  }

  /**
   * Runs one client operation under its observation: child of the HTTP server observation in the
   * subscriber's context, current while {@code run} starts the operation so the subgraph fetches it
   * makes become its children.
   */
  public <R> Mono<R> operation(
      @Nullable String name,
      String type,
      Supplier<CompletableFuture<R>> run,
      java.util.function.Predicate<R> hasErrors) {
    return Mono.deferContextual(
        ctx -> {
          Observation obs =
              Observation.createNotStarted(OPERATION, observations)
                  .contextualName(OPERATION)
                  .lowCardinalityKeyValue("operation.name", names.tag(name))
                  .lowCardinalityKeyValue("operation.type", type)
                  .parentObservation(
                      ctx.getOrDefault(ObservationThreadLocalAccessor.KEY, (Observation) null))
                  .start();
          CompletableFuture<R> started;
          try (Observation.Scope ignored = obs.openScope()) {
            started = run.get();
          } catch (RuntimeException e) {
            stop(obs, "failed", e);
            return Mono.error(e);
          }
          return observed(Mono.fromFuture(started), obs, r -> hasErrors.test(r) ? "errors" : "ok");
        });
  }

  /**
   * One subgraph request under its observation, a child of the operation current on this thread;
   * {@code call} subscribes with the fetch observation in its context, so the HTTP client's own
   * observation (which writes {@code traceparent}) nests under it. The answer is inspected for
   * error codes; a failed call has already become an answer with the gateway's code.
   */
  public Mono<Map<String, Object>> fetch(
      String subgraph,
      String query,
      @Nullable Map<String, Object> variables,
      Mono<Map<String, Object>> call) {
    Observation obs =
        Observation.createNotStarted(FETCH, observations)
            .contextualName(FETCH)
            .lowCardinalityKeyValue("subgraph", subgraph);
    if (!obs.isNoop()) {
      obs.highCardinalityKeyValue(
              "entities.batch.size", String.valueOf(batchSize(query, variables)))
          .highCardinalityKeyValue("breaker.state", breakerState(subgraph));
    }
    return Mono.defer(
        () -> {
          obs.start();
          return observed(
              call.contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, obs)),
              obs,
              answer -> countErrors(subgraph, answer));
        });
  }

  /**
   * The future, completed while the observation current now is current again: the next level's
   * fetches start in its callbacks, on the thread that completed the previous fetch, and must still
   * find their operation (a shared, deduplicated answer completes on another request's thread).
   */
  public <T> CompletableFuture<T> resumeUnderCaller(Supplier<CompletableFuture<T>> call) {
    Observation caller = observations.getCurrentObservation();
    CompletableFuture<T> inner = call.get();
    if (caller == null || caller.isNoop()) return inner;
    CompletableFuture<T> out = new CompletableFuture<>();
    inner.whenComplete(
        (r, e) -> {
          try (Observation.Scope ignored = caller.openScope()) {
            if (e != null) out.completeExceptionally(e);
            else out.complete(r);
          }
        });
    return out;
  }

  private String countErrors(String subgraph, Map<String, Object> answer) {
    if (!(answer.get("errors") instanceof List<?> errors) || errors.isEmpty()) return "ok";
    String first = null;
    for (Object error : errors) {
      String code = code(error);
      if (first == null) first = code;
      Counter.builder(ERRORS)
          .description("Errors in subgraph answers, by subgraph and extensions.code")
          .tag("subgraph", subgraph)
          .tag("code", code)
          .register(meters)
          .increment();
    }
    // a call the gateway failed (SUBGRAPH_UNAVAILABLE, ..._TOO_LARGE) is tagged with its code
    return first != null && first.startsWith("SUBGRAPH_") ? first : "errors";
  }

  private static String code(Object error) {
    if (error instanceof Map<?, ?> e
        && e.get("extensions") instanceof Map<?, ?> ext
        && ext.get("code") instanceof String code) {
      return code;
    }
    return "UNKNOWN";
  }

  private String breakerState(String subgraph) {
    return breakers == null ? "NONE" : breakers.circuitBreaker(subgraph).getState().name();
  }

  /** The representations in an {@code _entities} request: its {@code r0}, {@code r1}, … lists. */
  static int batchSize(String query, @Nullable Map<String, Object> variables) {
    if (variables == null || !query.contains("_entities")) return 0;
    int n = 0;
    for (Map.Entry<String, Object> v : variables.entrySet()) {
      if (v.getKey().startsWith("r") && v.getValue() instanceof List<?> reps) n += reps.size();
    }
    return n;
  }

  /** The mono, stopping the started observation once with the outcome of its one signal. */
  private static <T> Mono<T> observed(
      Mono<T> mono, Observation obs, java.util.function.Function<T, String> outcome) {
    // stopped on the signal, before it travels on: a client that has its answer also finds the
    // operation counted (doFinally would run after the response is written)
    java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();
    return mono.doOnSuccess(
            v -> {
              if (stopped.compareAndSet(false, true)) {
                stop(obs, v == null ? "cancelled" : outcome.apply(v), null);
              }
            })
        .doOnError(
            e -> {
              if (stopped.compareAndSet(false, true)) stop(obs, "failed", e);
            })
        .doOnCancel(
            () -> {
              if (stopped.compareAndSet(false, true)) stop(obs, "cancelled", null);
            });
  }

  private static void stop(Observation obs, String outcome, @Nullable Throwable error) {
    obs.lowCardinalityKeyValue("outcome", outcome);
    if (error != null) obs.error(error);
    obs.stop();
  }
}
