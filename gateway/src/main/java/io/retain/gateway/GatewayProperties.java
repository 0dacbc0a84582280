package io.retain.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gateway settings: a supergraph location, or subgraph URLs to compose from.
 *
 * @param supergraph {@code file:...} or {@code http://...}; blank means compose from subgraphs
 * @param subgraphs subgraph name to GraphQL URL
 * @param refresh how often to re-read or re-compose; zero disables
 */
@ConfigurationProperties("retain.gateway")
public record GatewayProperties(
    String supergraph, Map<String, String> subgraphs, Duration refresh) {

  public GatewayProperties {
    subgraphs = subgraphs == null ? new LinkedHashMap<>() : subgraphs;
    refresh = refresh == null ? Duration.ZERO : refresh;
  }
}
