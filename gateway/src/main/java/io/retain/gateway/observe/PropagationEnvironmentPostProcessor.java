package io.retain.gateway.observe;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Reactor's thread-local propagation for the gateway: {@code auto} where spans are exported (an
 * OTLP endpoint is set), so every log line carries its request's trace id where traces can be
 * looked up; {@code limited} otherwise, since restoring the thread-locals around every Reactor
 * signal was a third of the gateway's CPU per request and its spans do not need it (ADR 0016,
 * docs/benchmarks/gateway-cpu-2026-12-07.md). {@code CONTEXT_PROPAGATION} chooses either way. The
 * subgraphs follow the same rule (service-support's {@code ObservabilityEnvironmentPostProcessor}).
 */
class PropagationEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY = "spring.reactor.context-propagation";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    boolean exported =
        env.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint")
            || env.containsProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    String mode = "${CONTEXT_PROPAGATION:" + (exported ? "auto" : "limited") + "}";
    // last: the configuration files, the environment and the command line win
    env.getPropertySources()
        .addLast(new MapPropertySource("gatewayPropagationDefault", Map.of(PROPERTY, mode)));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
