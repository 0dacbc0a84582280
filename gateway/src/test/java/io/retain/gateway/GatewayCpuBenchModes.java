package io.retain.gateway;

import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.security.BearerTokenFilter;
import org.springframework.context.ApplicationContext;

/**
 * Switches the gateway's cheap per-request paths off ({@code old}: every request observed, every
 * token decoded) or on ({@code new}: no observations for unsampled requests, verified tokens kept).
 */
final class GatewayCpuBenchModes {

  private final GatewayTelemetry telemetry;
  private final BearerTokenFilter tokens;

  GatewayCpuBenchModes(ApplicationContext app) {
    this.telemetry = app.getBean(GatewayTelemetry.class);
    this.tokens = app.getBean(BearerTokenFilter.class);
  }

  void set(String mode) {
    boolean cheap = mode.equals("new");
    telemetry.spanlessWhenUnsampled(cheap);
    tokens.verifiedTokens().enabled(cheap);
    // thread locals restored around every Reactor operator (the old "auto") or only where asked
    if (cheap) reactor.core.publisher.Hooks.disableAutomaticContextPropagation();
    else reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
  }
}
