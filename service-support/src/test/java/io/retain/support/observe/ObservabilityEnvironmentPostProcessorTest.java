package io.retain.support.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * When the R2DBC statement spans (r2dbc-proxy) are on: where spans are exported, or when asked; and
 * Reactor's thread-local propagation with them ({@code auto}), {@code limited} without.
 */
class ObservabilityEnvironmentPostProcessorTest {

  static final String PROXY = "R2dbcProxyAutoConfiguration";
  static final String ENDPOINT = "http://collector:4318/v1/traces";

  static StandardEnvironment processed(Map<String, Object> props, Map<String, Object> envVars) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", props));
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("vars", envVars));
    new ObservabilityEnvironmentPostProcessor()
        .postProcessEnvironment(env, new SpringApplication());
    return env;
  }

  static String excluded(Map<String, Object> props, Map<String, Object> envVars) {
    return processed(props, envVars).getProperty("spring.autoconfigure.exclude", "");
  }

  static String propagation(Map<String, Object> props, Map<String, Object> envVars) {
    return processed(props, envVars).getProperty("spring.reactor.context-propagation");
  }

  @Test
  void nothingExportedMeansNoStatementSpans() {
    assertThat(excluded(Map.of(), Map.of()))
        .contains(ObservabilityEnvironmentPostProcessor.R2DBC_PROXY);
  }

  @Test
  void anOtlpEndpointTurnsThemOnWhicheverWayItIsSet() {
    assertThat(
            excluded(
                Map.of("management.opentelemetry.tracing.export.otlp.endpoint", ENDPOINT),
                Map.of()))
        .doesNotContain(PROXY);
    assertThat(
            excluded(
                Map.of(),
                Map.of("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", ENDPOINT)))
        .doesNotContain(PROXY);
    assertThat(excluded(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)))
        .doesNotContain(PROXY);
  }

  @Test
  void theSwitchOverridesEitherWay() {
    assertThat(excluded(Map.of("retain.tracing.database-spans", "true"), Map.of()))
        .doesNotContain(PROXY);
    assertThat(
            excluded(
                Map.of("retain.tracing.database-spans", "false"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)))
        .contains(PROXY);
  }

  @Test
  void threadLocalsAreRestoredOnlyWhereStatementSpansNeedThem() {
    assertThat(propagation(Map.of(), Map.of())).isEqualTo("limited");
    assertThat(propagation(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)))
        .isEqualTo("auto");
    assertThat(propagation(Map.of("retain.tracing.database-spans", "true"), Map.of()))
        .isEqualTo("auto");
    assertThat(
            propagation(
                Map.of("retain.tracing.database-spans", "false"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)))
        .isEqualTo("limited");
  }

  @Test
  void contextPropagationOrAServicesOwnSettingWins() {
    assertThat(propagation(Map.of(), Map.of("CONTEXT_PROPAGATION", "auto"))).isEqualTo("auto");
    assertThat(
            propagation(
                Map.of(),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "CONTEXT_PROPAGATION", "limited")))
        .isEqualTo("limited");
    assertThat(propagation(Map.of("spring.reactor.context-propagation", "auto"), Map.of()))
        .isEqualTo("auto");
  }
}
