package io.retain.gateway.execute;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Sends GraphQL requests to one subgraph; the seam for a per-subgraph Resilience4j decorator. */
public class SubgraphClient {

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};

  private final String name;
  private final WebClient web;

  public SubgraphClient(String name, String url, WebClient.Builder builder) {
    this.name = name;
    this.web = builder.clone().baseUrl(url).build();
  }

  public String name() {
    return name;
  }

  /** POSTs the document and variables, forwarding the caller's Authorization header. */
  public CompletableFuture<Map<String, Object>> execute(
      String query, Map<String, Object> variables, String authorization) {
    Map<String, Object> body = new HashMap<>();
    body.put("query", query);
    body.put("variables", variables == null ? Map.of() : variables);
    return decorate(
            web.post()
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .headers(
                    h -> {
                      if (authorization != null) h.set("Authorization", authorization);
                    })
                .bodyValue(body)
                .exchangeToMono(r -> r.bodyToMono(MAP).defaultIfEmpty(Map.of())))
        .onErrorResume(
            e ->
                Mono.just(
                    Map.of(
                        "errors",
                        java.util.List.of(
                            Map.of("message", "subgraph " + name + " failed: " + e.getMessage())))))
        .toFuture();
  }

  /** Hook for resilience (circuit breaker, retry, time limiter) per subgraph. */
  protected Mono<Map<String, Object>> decorate(Mono<Map<String, Object>> call) {
    return call;
  }
}
