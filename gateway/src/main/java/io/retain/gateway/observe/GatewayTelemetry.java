package io.retain.gateway.observe;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
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
 * Each observation is a timer on {@code /actuator/prometheus} and, when tracing samples, a span. A
 * request whose server span is not sampled (sampling 0, the local default, or a client's {@code
 * traceparent} flag {@code 00}) gets no observations here at all: the same timers and counters are
 * recorded directly on meters resolved once per tag set, and the subgraphs still receive the
 * request's trace id in {@code traceparent} (flag {@code 00}). Without this the gateway spent about
 * 15% more CPU per request on observations, their tracing handler and scopes for spans nobody
 * records (ADR 0016, docs/benchmarks/gateway-cpu-2026-12-07.md).
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

  /** Whether unsampled requests skip the observations (off only to measure the old path). */
  private volatile boolean spanlessWhenUnsampled = true;

  /** The unsampled request whose operation runs on this thread (the spanless path's "scope"). */
  private static final ThreadLocal<@Nullable Unsampled> CURRENT = new ThreadLocal<>();

  /** Meters resolved once per tag set: a builder and registry lookup per call cost CPU. */
  private final ConcurrentHashMap<List<String>, Timer> operationTimers = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<List<String>, Timer> fetchTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, Counter> errorCounters = new ConcurrentHashMap<>();

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

  /**
   * An unsampled request: its {@code traceparent} for the subgraphs (the server span's trace and
   * span id, flag {@code 00}), or null when it has no trace context (no tracing configured).
   */
  public record Unsampled(@Nullable String traceparent) {}

  /**
   * Switches the spanless path for unsampled requests on (the default) or off (every request
   * observed, as before): for {@code GatewayCpuBench}, which measures both in one JVM.
   */
  public void spanlessWhenUnsampled(boolean on) {
    this.spanlessWhenUnsampled = on;
  }

  /**
   * The unsampled request whose operation is running on this thread, or null when the current
   * request is observed (sampled, or the spanless path off): its subgraph calls need no spans.
   */
  public @Nullable Unsampled unsampled() {
    return CURRENT.get();
  }

  /**
   * The request as unsampled when its server observation carries a span that is not sampled, or
   * when nothing traces at all; null (observe it) when sampled or when it cannot tell.
   */
  private @Nullable Unsampled unsampled(@Nullable Observation parent) {
    if (!spanlessWhenUnsampled) return null;
    if (parent == null || parent.isNoop()) return observations.isNoop() ? NO_TRACE : null;
    TraceContext trace = traceContext(parent);
    if (trace == null || !Boolean.FALSE.equals(trace.sampled())) return null;
    return new Unsampled("00-" + trace.traceId() + "-" + trace.spanId() + "-00");
  }

  private static final Unsampled NO_TRACE = new Unsampled(null);

  /**
   * A request's trace and span id, for a log line written later on another thread: Reactor
   * callbacks no longer carry them by themselves ({@code spring.reactor.context-propagation} is
   * {@code limited}, ADR 0016).
   */
  public record TraceIds(String traceId, String spanId) {

    /** Writes the line with these ids in the MDC (where the log pattern and ECS read them). */
    public void log(Runnable line) {
      String outerTrace = MDC.get("traceId");
      String outerSpan = MDC.get("spanId");
      MDC.put("traceId", traceId);
      MDC.put("spanId", spanId);
      try {
        line.run();
      } finally {
        restore("traceId", outerTrace);
        restore("spanId", outerSpan);
      }
    }

    private static void restore(String key, @Nullable String value) {
      if (value == null) MDC.remove(key);
      else MDC.put(key, value);
    }
  }

  /** The observation current on this thread (a sampled request's operation), if any. */
  public @Nullable Observation currentObservation() {
    return observations.getCurrentObservation();
  }

  /**
   * The ids of an unsampled request (from its {@code traceparent}) or of an observation's span;
   * null when neither has any.
   */
  public static @Nullable TraceIds traceIds(
      @Nullable Unsampled unsampled, @Nullable Observation observation) {
    if (unsampled != null) {
      String tp = unsampled.traceparent();
      return tp == null ? null : new TraceIds(tp.substring(3, 35), tp.substring(36, 52));
    }
    TraceContext trace = traceContext(observation);
    return trace == null ? null : new TraceIds(trace.traceId(), trace.spanId());
  }

  /** The span context of {@code observation}'s span, if it has one. */
  private static @Nullable TraceContext traceContext(@Nullable Observation observation) {
    if (observation == null || observation.isNoop()) return null;
    TracingObservationHandler.TracingContext tracing =
        observation.getContextView().get(TracingObservationHandler.TracingContext.class);
    return tracing == null || tracing.getSpan() == null ? null : tracing.getSpan().context();
  }

  /** Writes the line with the ids of {@code ids} in the MDC, or as it is without any. */
  public static void log(@Nullable TraceIds ids, Runnable line) {
    if (ids == null) line.run();
    else ids.log(line);
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
          Observation parent = ctx.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
          Unsampled unsampled = unsampled(parent);
          if (unsampled != null) return spanless(unsampled, names.tag(name), type, run, hasErrors);
          Observation obs =
              Observation.createNotStarted(OPERATION, observations)
                  .contextualName(OPERATION)
                  .lowCardinalityKeyValue("operation.name", names.tag(name))
                  .lowCardinalityKeyValue("operation.type", type)
                  .parentObservation(parent)
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
   * The operation of an unsampled request: its timer recorded directly, the request current on this
   * thread (for its fetches) while {@code run} starts it.
   */
  private <R> Mono<R> spanless(
      Unsampled unsampled,
      String name,
      String type,
      Supplier<CompletableFuture<R>> run,
      java.util.function.Predicate<R> hasErrors) {
    long start = System.nanoTime();
    java.util.function.BiConsumer<String, @Nullable Throwable> record =
        (outcome, error) ->
            operationTimer(name, type, outcome, error).record(System.nanoTime() - start, NANOS);
    CompletableFuture<R> started;
    Unsampled outer = CURRENT.get();
    CURRENT.set(unsampled);
    try {
      started = run.get();
    } catch (RuntimeException e) {
      record.accept("failed", e);
      return Mono.error(e);
    } finally {
      CURRENT.set(outer);
    }
    return timed(Mono.fromFuture(started), r -> hasErrors.test(r) ? "errors" : "ok", record);
  }

  private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  /**
   * The timer an observation of {@value #OPERATION} stops into, with the same tags as Micrometer's
   * {@code DefaultMeterObservationHandler} gives it (its low-cardinality keys and {@code error}),
   * so sampled and unsampled requests count in one series.
   */
  private Timer operationTimer(String name, String type, String outcome, @Nullable Throwable e) {
    String error = errorTag(e);
    return operationTimers.computeIfAbsent(
        List.of(name, type, outcome, error),
        k ->
            Timer.builder(OPERATION)
                .tags(
                    "operation.name",
                    name,
                    "operation.type",
                    type,
                    "outcome",
                    outcome,
                    "error",
                    error)
                .register(meters));
  }

  private Timer fetchTimer(String subgraph, String outcome, @Nullable Throwable e) {
    String error = errorTag(e);
    return fetchTimers.computeIfAbsent(
        List.of(subgraph, outcome, error),
        k ->
            Timer.builder(FETCH)
                .tags("subgraph", subgraph, "outcome", outcome, "error", error)
                .register(meters));
  }

  private static String errorTag(@Nullable Throwable e) {
    return e == null ? "none" : e.getClass().getSimpleName();
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
    return fetch(subgraph, query, variables, call, null);
  }

  /**
   * As {@link #fetch(String, String, Map, Mono)}; with {@code unsampled} (the request's, from
   * {@link #unsampled()}) no observation: the fetch timer and error counter are recorded directly.
   */
  public Mono<Map<String, Object>> fetch(
      String subgraph,
      String query,
      @Nullable Map<String, Object> variables,
      Mono<Map<String, Object>> call,
      @Nullable Unsampled unsampled) {
    if (unsampled != null) {
      return Mono.defer(
          () -> {
            long start = System.nanoTime();
            return timed(
                call,
                answer -> countErrors(subgraph, answer),
                (outcome, error) ->
                    fetchTimer(subgraph, outcome, error).record(System.nanoTime() - start, NANOS));
          });
    }
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
    Unsampled request = CURRENT.get();
    if (request != null) {
      CompletableFuture<T> inner = call.get();
      CompletableFuture<T> out = new CompletableFuture<>();
      inner.whenComplete(
          (r, e) -> {
            Unsampled outer = CURRENT.get();
            CURRENT.set(request);
            try {
              if (e != null) out.completeExceptionally(e);
              else out.complete(r);
            } finally {
              CURRENT.set(outer);
            }
          });
      return out;
    }
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
      errorCounters
          .computeIfAbsent(
              List.of(subgraph, code),
              k ->
                  Counter.builder(ERRORS)
                      .description("Errors in subgraph answers, by subgraph and extensions.code")
                      .tag("subgraph", subgraph)
                      .tag("code", code)
                      .register(meters))
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

  /** As {@link #observed}, recording the outcome (and error) instead of stopping an observation. */
  private static <T> Mono<T> timed(
      Mono<T> mono,
      java.util.function.Function<T, String> outcome,
      java.util.function.BiConsumer<String, @Nullable Throwable> record) {
    java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();
    return mono.doOnSuccess(
            v -> {
              if (stopped.compareAndSet(false, true)) {
                record.accept(v == null ? "cancelled" : outcome.apply(v), null);
              }
            })
        .doOnError(
            e -> {
              if (stopped.compareAndSet(false, true)) record.accept("failed", e);
            })
        .doOnCancel(
            () -> {
              if (stopped.compareAndSet(false, true)) record.accept("cancelled", null);
            });
  }

  private static void stop(Observation obs, String outcome, @Nullable Throwable error) {
    obs.lowCardinalityKeyValue("outcome", outcome);
    if (error != null) obs.error(error);
    obs.stop();
  }
}
