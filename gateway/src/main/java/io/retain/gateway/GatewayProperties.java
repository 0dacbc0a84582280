package io.retain.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Gateway settings: a supergraph location, or subgraph URLs to compose from.
 *
 * @param supergraph {@code file:...} or {@code http://...}; blank means compose from subgraphs
 * @param subgraphs subgraph name to GraphQL URL
 * @param refresh how often to re-read or re-compose; zero disables
 * @param introspection answer {@code __schema} / {@code __type} (on locally, off in production)
 * @param graphiql serve the GraphiQL page at {@code /graphiql} (on locally, off in production)
 * @param deduplicateInflight identical subgraph queries in flight at once share one request (on)
 * @param maxSubgraphResponse the largest subgraph answer read (32 MB)
 * @param entityBatchInFlight cross-request {@code _entities} batching: calls in flight per lane
 *     before further requests queue and go as one call (1, the default; 0 = off; ADR 0017)
 * @param subgraphHttp how subgraph calls are sent: {@code direct} (Reactor Netty, the default) or
 *     {@code webclient} (the previous path, kept for side-by-side benchmarks; ADR 0021)
 */
@ConfigurationProperties("retain.gateway")
public record GatewayProperties(
    String supergraph,
    Map<String, String> subgraphs,
    Duration refresh,
    Boolean introspection,
    Boolean graphiql,
    Boolean deduplicateInflight,
    DataSize maxSubgraphResponse,
    Integer entityBatchInFlight,
    io.retain.gateway.execute.SubgraphClient.Http subgraphHttp) {

  public GatewayProperties {
    subgraphs = subgraphs == null ? new LinkedHashMap<>() : subgraphs;
    refresh = refresh == null ? Duration.ZERO : refresh;
    introspection = introspection == null || introspection;
    graphiql = graphiql == null || graphiql;
    deduplicateInflight = deduplicateInflight == null || deduplicateInflight;
    maxSubgraphResponse =
        maxSubgraphResponse == null
            ? DataSize.ofBytes(io.retain.gateway.execute.SubgraphClient.DEFAULT_MAX_RESPONSE_BYTES)
            : maxSubgraphResponse;
    entityBatchInFlight = entityBatchInFlight == null ? 1 : entityBatchInFlight;
    subgraphHttp =
        subgraphHttp == null ? io.retain.gateway.execute.SubgraphClient.Http.DIRECT : subgraphHttp;
  }
}
