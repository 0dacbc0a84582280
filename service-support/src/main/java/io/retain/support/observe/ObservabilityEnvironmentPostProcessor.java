package io.retain.support.observe;

import io.retain.support.config.AutoConfigurationExcludes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Defaults for tracing and logs, once for the three subgraphs (a service's own configuration wins:
 * this source comes last). The gateway sets the same in its application.yml.
 *
 * <ul>
 *   <li>{@code spring.reactor.context-propagation}: {@code auto} where statement spans are on
 *       (below): r2dbc-proxy finds a statement's parent in a thread-local, which only {@code auto}
 *       restores on Reactor threads, and every log line then carries the trace id. {@code limited}
 *       otherwise: restoring the thread-locals around every Reactor signal (opening the
 *       observation's scope, its span, the MDC) was a fifth of a subgraph's CPU per request
 *       (docs/benchmarks/gateway-varied-2026-12-08.md); client calls still carry the trace, which
 *       they take from the Reactor context, and lines written in Reactor callbacks go without a
 *       trace id. {@code CONTEXT_PROPAGATION} chooses either way.
 *   <li>sampling {@code RETAIN_TRACE_SAMPLING} (0): a service's own root traces (jobs) are off
 *       locally; a request follows the sampled flag of the {@code traceparent} it came with.
 *   <li>R2DBC statement spans (Boot's r2dbc-proxy observation, under the cancel guard: {@code
 *       CancelGuardAutoConfiguration}) when spans are exported (an OTLP endpoint is set), or when
 *       {@code retain.tracing.database-spans=true}; they carry the SQL text, never its parameter
 *       values (customer data). Unexported, the proxy would only cost: it took 0.50–0.75× the
 *       throughput on one-row reads unsampled (docs/benchmarks/statement-spans.md).
 *   <li>profile {@code production}: one JSON object per log line (Elastic Common Schema), with
 *       {@code traceId} and {@code spanId}.
 * </ul>
 */
class ObservabilityEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final List<String> R2DBC_PROXY =
      List.of(
          "org.springframework.boot.r2dbc.autoconfigure.R2dbcProxyAutoConfiguration",
          "org.springframework.boot.r2dbc.autoconfigure.observation.R2dbcObservationAutoConfiguration");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    boolean databaseSpans =
        env.getProperty("retain.tracing.database-spans", Boolean.class, exported(env));
    Map<String, Object> defaults = new HashMap<>();
    defaults.put(
        "spring.reactor.context-propagation",
        "${CONTEXT_PROPAGATION:" + (databaseSpans ? "auto" : "limited") + "}");
    defaults.put("management.tracing.sampling.probability", "${RETAIN_TRACE_SAMPLING:0}");
    defaults.put("management.observations.r2dbc.include-parameter-values", "false");
    if (env.acceptsProfiles(Profiles.of("production"))) {
      defaults.put("logging.structured.format.console", "ecs");
    }
    env.getPropertySources()
        .addLast(new MapPropertySource("retainObservabilityDefaults", defaults));
    if (!databaseSpans) {
      AutoConfigurationExcludes.add(env, "retainNoDatabaseSpans", R2DBC_PROXY);
    }
  }

  /** Whether spans leave the process: an OTLP endpoint is configured. */
  static boolean exported(ConfigurableEnvironment env) {
    return env.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint")
        || env.containsProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Override
  public int getOrder() {
    // after the config files are read, so the active profiles are known
    return Ordered.LOWEST_PRECEDENCE;
  }
}
