package io.retain.gateway.execute;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends GraphQL requests to one subgraph through its guards ({@link SubgraphGuards}). A call that
 * fails (unreachable, timed out, circuit open, bulkhead full, HTTP 5xx) never fails the client's
 * request: it answers an error with {@code extensions.code = SUBGRAPH_UNAVAILABLE} and the
 * subgraph's name, and the fields that subgraph would have filled stay null.
 */
public class SubgraphClient {

  public static final String UNAVAILABLE = "SUBGRAPH_UNAVAILABLE";

  private static final Logger log = LoggerFactory.getLogger(SubgraphClient.class);

  /**
   * Each subscription on a connection of its own, never a pooled keep-alive connection that just
   * carried queries: Reactor Netty's server (1.3.6) can leave a keep-alive connection unread after
   * a request it answered at once, and an upgrade queued there would wait for ever.
   */
  private static final ReactorNettyWebSocketClient WEBSOCKETS =
      new ReactorNettyWebSocketClient(reactor.netty.http.client.HttpClient.newConnection());

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};

  private final String name;
  private final String url;
  private final WebClient web;
  private final SubgraphGuards guards;
  private final boolean dedupe;

  /** Callers waiting for each query in flight, in arrival order; the first one sent it. */
  private final ConcurrentHashMap<List<Object>, List<CompletableFuture<Map<String, Object>>>>
      inflight = new ConcurrentHashMap<>();

  public SubgraphClient(String name, String url, WebClient.Builder builder, SubgraphGuards guards) {
    this(name, url, builder, guards, true);
  }

  /**
   * @param dedupe share one request among identical queries in flight at the same moment
   */
  public SubgraphClient(
      String name, String url, WebClient.Builder builder, SubgraphGuards guards, boolean dedupe) {
    this.name = name;
    this.url = url;
    this.web = builder.clone().baseUrl(url).build();
    this.guards = guards;
    this.dedupe = dedupe;
  }

  public String name() {
    return name;
  }

  /**
   * POSTs the document and variables, forwarding the caller's Authorization header. Identical
   * queries in flight at the same moment (same document, variables and token) share one request
   * when deduplication is on — many screens asking for the same list at once cost the subgraph one
   * call; each caller gets its own copy of the answer. Mutations are never shared.
   */
  public CompletableFuture<Map<String, Object>> execute(
      String query, Map<String, Object> variables, String authorization) {
    if (!dedupe || query.startsWith("mutation")) return send(query, variables, authorization);
    List<Object> key =
        List.of(
            query,
            variables == null ? Map.of() : variables,
            authorization == null ? "" : authorization);
    CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
    List<List<CompletableFuture<Map<String, Object>>>> created = new ArrayList<>(1);
    inflight.compute(
        key,
        (k, waiting) -> {
          if (waiting == null) {
            waiting = new ArrayList<>(2);
            created.add(waiting);
          }
          waiting.add(mine);
          return waiting;
        });
    if (!created.isEmpty()) {
      List<CompletableFuture<Map<String, Object>>> mineList = created.get(0);
      CompletableFuture<Map<String, Object>> sent;
      try {
        sent = send(query, variables, authorization);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete(
          (r, e) -> {
            // nobody joins after the removal (compute and remove lock the same bin); every
            // waiter but the last gets its own copy, made before any of them merges into theirs.
            // The list created above is the fallback, so no caller is left waiting even if the
            // key were no longer found.
            List<CompletableFuture<Map<String, Object>>> waiting = inflight.remove(key);
            if (waiting == null) waiting = mineList;
            for (int i = 0; i < waiting.size(); i++) {
              if (e != null) waiting.get(i).completeExceptionally(e);
              else waiting.get(i).complete(i == waiting.size() - 1 ? r : copy(r));
            }
          });
    }
    return mine;
  }

  /** A deep copy of a JSON tree: the executor merges into the maps it gets. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T json) {
    if (json instanceof Map<?, ?> m) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>(Math.max(4, m.size() * 2));
      m.forEach((k, v) -> out.put(k, copy(v)));
      return (T) out;
    }
    if (json instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object v : l) out.add(copy(v));
      return (T) out;
    }
    return json;
  }

  private CompletableFuture<Map<String, Object>> send(
      String query, Map<String, Object> variables, String authorization) {
    if (log.isDebugEnabled()) log.debug("subgraph {} <- {} {}", name, query, variables);
    Map<String, Object> body = new HashMap<>();
    body.put("query", query);
    body.put("variables", variables == null ? Map.of() : variables);
    Mono<Map<String, Object>> call =
        web.post()
            .contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_JSON)
            .headers(
                h -> {
                  if (authorization != null) h.set("Authorization", authorization);
                })
            .bodyValue(body)
            .exchangeToMono(
                r ->
                    r.statusCode().is5xxServerError()
                        ? r.releaseBody()
                            .then(
                                Mono.error(
                                    new SubgraphGuards.SubgraphHttpException(
                                        r.statusCode().value())))
                        : r.bodyToMono(MAP).defaultIfEmpty(Map.of()));
    return guards
        .guard(name, call)
        .onErrorResume(
            e -> {
              String reason = SubgraphGuards.reason(e);
              log.warn("subgraph {} unavailable: {} ({})", name, reason, e.toString());
              return Mono.just(unavailable(name, reason));
            })
        .toFuture();
  }

  /**
   * Opens a subscription on this subgraph over graphql-ws (same URL, ws scheme), one WebSocket per
   * client subscription since the token travels in connection_init. Each event is a GraphQL
   * response map; a subgraph that cannot be reached or drops the connection ends the stream with
   * one SUBGRAPH_UNAVAILABLE response, and GraphQL errors it sends end it with those errors.
   */
  public Flux<Map<String, Object>> subscribe(
      String query, Map<String, Object> variables, String authorization) {
    URI ws = URI.create(url.replaceFirst("^http", "ws"));
    Map<String, Object> init =
        authorization == null ? Map.of() : Map.of("Authorization", authorization);
    WebSocketGraphQlClient client =
        WebSocketGraphQlClient.builder(ws, WEBSOCKETS)
            .headers(
                h -> {
                  if (authorization != null) h.set("Authorization", authorization);
                })
            .interceptor(
                new WebSocketGraphQlClientInterceptor() {
                  @Override
                  public Mono<Object> connectionInitPayload() {
                    return Mono.just(init);
                  }
                })
            .build();
    return client
        .document(query)
        .variables(variables == null ? Map.of() : variables)
        .executeSubscription()
        .map(r -> (Map<String, Object>) new HashMap<>(r.toMap()))
        .onErrorResume(
            SubscriptionErrorException.class,
            e ->
                Flux.just(
                    Map.of("errors", e.getErrors().stream().map(SubgraphClient::toMap).toList())))
        .onErrorResume(
            e -> {
              String reason = SubgraphGuards.reason(e);
              log.warn("subscription on subgraph {} failed: {} ({})", name, reason, e.toString());
              return Flux.just(unavailable(name, reason));
            })
        .doFinally(signal -> client.stop().subscribe());
  }

  private static Map<String, Object> toMap(ResponseError e) {
    Map<String, Object> m = new HashMap<>();
    m.put("message", e.getMessage());
    if (!e.getParsedPath().isEmpty()) m.put("path", e.getParsedPath());
    if (!e.getExtensions().isEmpty()) m.put("extensions", e.getExtensions());
    return m;
  }

  /** The response standing in for a failed call; the executor adds the client paths. */
  static Map<String, Object> unavailable(String subgraph, String reason) {
    return Map.of(
        "errors",
        List.of(
            Map.of(
                "message",
                "Subgraph '" + subgraph + "' is unavailable (" + reason + ")",
                "extensions",
                Map.of("code", UNAVAILABLE, "subgraph", subgraph, "reason", reason))));
  }
}
