package io.retain.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Thread-locals restored around Reactor signals only where spans are exported. */
class PropagationEnvironmentPostProcessorTest {

  static final String ENDPOINT = "http://collector:4318/v1/traces";

  static String propagation(Map<String, Object> props, Map<String, Object> envVars) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", props));
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("vars", envVars));
    new PropagationEnvironmentPostProcessor().postProcessEnvironment(env, new SpringApplication());
    return env.getProperty(PropagationEnvironmentPostProcessor.PROPERTY);
  }

  @Test
  void limitedUnlessSpansAreExported() {
    assertThat(propagation(Map.of(), Map.of())).isEqualTo("limited");
    assertThat(propagation(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)))
        .isEqualTo("auto");
    assertThat(
            propagation(
                Map.of("management.opentelemetry.tracing.export.otlp.endpoint", ENDPOINT),
                Map.of()))
        .isEqualTo("auto");
  }

  @Test
  void contextPropagationOrTheConfigurationWins() {
    assertThat(propagation(Map.of(), Map.of("CONTEXT_PROPAGATION", "auto"))).isEqualTo("auto");
    assertThat(
            propagation(
                Map.of(),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "CONTEXT_PROPAGATION", "limited")))
        .isEqualTo("limited");
    assertThat(propagation(Map.of(PropagationEnvironmentPostProcessor.PROPERTY, "auto"), Map.of()))
        .isEqualTo("auto");
  }
}
