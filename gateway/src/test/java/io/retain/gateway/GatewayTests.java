package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Set-up shared by the gateway's Spring tests. */
final class GatewayTests {

  private GatewayTests() {}

  /** Federates exactly these test subgraphs (the suite's own three are switched off). */
  static void federate(DynamicPropertyRegistry r, Map<String, TestSubgraph> subgraphs) {
    for (String own : List.of("customer", "scoring", "retention"))
      r.add("retain.gateway.subgraphs." + own, () -> "");
    subgraphs.forEach((name, s) -> r.add("retain.gateway.subgraphs." + name, s::url));
  }

  /** Waits until the gateway has composed and loaded its supergraph (it does so in background). */
  static void awaitSupergraph(GatewayState state) throws InterruptedException {
    long until = System.nanoTime() + 20_000_000_000L;
    while (state.engine() == null && System.nanoTime() < until) Thread.sleep(50);
    assertThat(state.engine()).as("supergraph loaded").isNotNull();
  }
}
