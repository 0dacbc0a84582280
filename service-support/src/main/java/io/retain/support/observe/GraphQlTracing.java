package io.retain.support.observe;

import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A subgraph's GraphQL spans, cheaper than Spring for GraphQL's observation (which the services
 * exclude: it wraps every field's fetcher and cost more CPU than resolving 50 entities): one
 * {@value #OPERATION} per operation and one {@value #FIELD} per root field ({@code _entities}
 * included), where the I/O starts; nested fields are left alone. Each is handed on as the
 * observation the field's reactive work should see: server span → operation → root field → its
 * statements (customer-service's TracingTest). A request whose server span is not sampled (a {@code
 * traceparent} with flag {@code 00}, as the gateway sends unsampled requests) gets neither: their
 * spans would never be recorded, and starting them cost CPU on every subgraph call.
 */
public class GraphQlTracing extends SimplePerformantInstrumentation {

  public static final String OPERATION = "graphql.operation";
  public static final String FIELD = "graphql.root.field";

  private static final String OPERATION_KEY = GraphQlTracing.class.getName() + ".operation";

  private final ObservationRegistry registry;

  public GraphQlTracing(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(
      InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
    var execution = parameters.getExecutionContext();
    String type = execution.getOperationDefinition().getOperation().name().toLowerCase(Locale.ROOT);
    GraphQLContext context = execution.getGraphQLContext();
    Observation parent = context.get(ObservationThreadLocalAccessor.KEY);
    if (unsampled(parent)) return SimpleInstrumentationContext.noOp();
    Observation obs =
        Observation.createNotStarted(OPERATION, registry)
            .contextualName("graphql " + type)
            .lowCardinalityKeyValue("graphql.operation.type", type)
            .parentObservation(parent)
            .start();
    if (obs.isNoop()) return SimpleInstrumentationContext.noOp();
    // under our own key for the root fields (the shared key may be rewritten from the Reactor
    // context), and under the shared key for the work Spring starts from this context
    context.put(OPERATION_KEY, obs);
    context.put(ObservationThreadLocalAccessor.KEY, obs);
    return SimpleInstrumentationContext.whenCompleted(
        (result, error) -> {
          if (error != null) obs.error(error);
          obs.stop();
        });
  }

  /** Whether {@code parent} carries a span that is not sampled (null or spanless: unknown, no). */
  static boolean unsampled(@Nullable Observation parent) {
    if (parent == null || parent.isNoop()) return false;
    TracingObservationHandler.TracingContext tracing =
        parent.getContextView().get(TracingObservationHandler.TracingContext.class);
    Span span = tracing == null ? null : tracing.getSpan();
    return span != null && Boolean.FALSE.equals(span.context().sampled());
  }

  @Override
  public DataFetcher<?> instrumentDataFetcher(
      DataFetcher<?> fetcher,
      InstrumentationFieldFetchParameters parameters,
      InstrumentationState state) {
    if (parameters.getExecutionStepInfo().getPath().getLevel() != 1) return fetcher;
    return env -> fetch(fetcher, env);
  }

  private @Nullable Object fetch(DataFetcher<?> fetcher, DataFetchingEnvironment env)
      throws Exception {
    Observation operation = env.getGraphQlContext().get(OPERATION_KEY);
    if (operation == null) return fetcher.get(env); // no operation span: nothing recorded
    // the operation's scope is open while the field's span starts: micrometer-tracing takes the
    // tracer's current span over the parent observation when they differ, and on this thread the
    // current span is the server span the request's Reactor context restored
    try (Observation.Scope ignored = operation.openScope()) {
      return fetchObserved(fetcher, env, operation);
    }
  }

  private @Nullable Object fetchObserved(
      DataFetcher<?> fetcher, DataFetchingEnvironment env, Observation operation) throws Exception {
    Observation obs =
        Observation.createNotStarted(FIELD, registry)
            .contextualName("graphql field " + env.getField().getName())
            .lowCardinalityKeyValue("graphql.field.name", env.getField().getName())
            .parentObservation(operation)
            .start();
    // Spring's data fetcher decorator takes the observation for the field's Reactor context from
    // the local context (as its own GraphQL instrumentation passes it)
    GraphQLContext.Builder local = GraphQLContext.newContext();
    if (env.getLocalContext() instanceof GraphQLContext given) local.of(given);
    DataFetchingEnvironment observed =
        DataFetchingEnvironmentImpl.newDataFetchingEnvironment(env)
            .localContext(local.of(ObservationThreadLocalAccessor.KEY, obs).build())
            .build();
    Object result;
    try (Observation.Scope ignored = obs.openScope()) {
      result = fetcher.get(observed);
    } catch (Exception | Error e) {
      obs.error(e);
      obs.stop();
      throw e;
    }
    if (result instanceof CompletionStage<?> pending) {
      pending.whenComplete(
          (value, error) -> {
            if (error != null) obs.error(error);
            obs.stop();
          });
    } else {
      obs.stop();
    }
    return result;
  }
}
