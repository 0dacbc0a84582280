package io.retain.gateway;

import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.security.BearerTokenFilter;
import org.springframework.context.ApplicationContext;

/**
 * Switches the gateway's cheap per-request paths off ({@code old}: every request observed, every
 * token decoded) or on ({@code new}: no observations for unsampled requests, verified tokens kept).
 */
final class GatewayCpuBenchModes {

  /** What {@code new} switches on: {@code spans}, {@code tokens}, {@code propagation}. */
  static final java.util.Set<String> ALL = java.util.Set.of("spans", "tokens", "propagation");

  private final GatewayTelemetry telemetry;
  private final BearerTokenFilter tokens;
  private final java.util.Set<String> cheapParts;

  GatewayCpuBenchModes(ApplicationContext app, java.util.Set<String> cheapParts) {
    this.telemetry = app.getBean(GatewayTelemetry.class);
    this.tokens = app.getBean(BearerTokenFilter.class);
    this.cheapParts = cheapParts;
  }

  void set(String mode) {
    boolean cheap = mode.equals("new");
    telemetry.spanlessWhenUnsampled(cheap && cheapParts.contains("spans"));
    tokens.verifiedTokens().enabled(cheap && cheapParts.contains("tokens"));
    // thread locals restored around every Reactor operator (the old "auto") or only where asked
    if (cheap && cheapParts.contains("propagation")) {
      reactor.core.publisher.Hooks.disableAutomaticContextPropagation();
    } else {
      reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
    }
  }
}
