package io.retain.gateway.execute;

import io.retain.gateway.observe.GatewayTelemetry;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends GraphQL requests to one subgraph through its guards ({@link SubgraphGuards}). A call that
 * fails (unreachable, timed out, circuit open, bulkhead full, HTTP 5xx) never fails the client's
 * request: it answers an error with {@code extensions.code = SUBGRAPH_UNAVAILABLE} and the
 * subgraph's name, and the fields that subgraph would have filled stay null. An answer over the
 * size limit is answered the same way with {@code SUBGRAPH_RESPONSE_TOO_LARGE}.
 */
public class SubgraphClient {

  public static final String UNAVAILABLE = "SUBGRAPH_UNAVAILABLE";

  /** An answer over the size limit: that request's error, not a sign of a sick subgraph. */
  public static final String TOO_LARGE = "SUBGRAPH_RESPONSE_TOO_LARGE";

  /** Whether an error code stands for the whole call (reported where its data would have gone). */
  static boolean failedCall(Object code) {
    return UNAVAILABLE.equals(code) || TOO_LARGE.equals(code);
  }

  /** The answer size limit when none is given (the largest page is a few MB). */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 32 << 20;

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
  private final SubgraphInstances instances;
  private final WebClient web;
  private final SubgraphGuards guards;
  private final boolean dedupe;
  private final int maxResponseBytes;
  private final GatewayTelemetry telemetry;

  /** The lighter HTTP path (ADR 0021), or null when calls go through WebClient. */
  private final @Nullable DirectHttp direct;

  /**
   * How subgraph calls are sent: {@link #DIRECT} on Reactor Netty's HttpClient (the default, ADR
   * 0021), {@link #WEBCLIENT} through Spring's WebClient (the previous path, kept to measure the
   * two side by side in one benchmark run).
   */
  public enum Http {
    DIRECT,
    WEBCLIENT
  }

  private static final tools.jackson.databind.ObjectMapper JSON =
      new tools.jackson.databind.json.JsonMapper();

  /** Callers waiting for each query in flight, in arrival order; the first one sent it. */
  private final ConcurrentHashMap<List<Object>, List<CompletableFuture<Map<String, Object>>>>
      inflight = new ConcurrentHashMap<>();

  public SubgraphClient(String name, String url, WebClient.Builder builder, SubgraphGuards guards) {
    this(
        name,
        url,
        builder,
        guards,
        true,
        DEFAULT_MAX_RESPONSE_BYTES,
        GatewayTelemetry.NONE,
        Http.DIRECT);
  }

  /**
   * @param url the subgraph's URL, or several separated by commas ({@link SubgraphInstances})
   * @param dedupe share one request among identical queries in flight at the same moment
   * @param maxResponseBytes the largest answer read; a larger one is answered {@link #TOO_LARGE}
   * @param telemetry observes each request sent (span, timer, error codes)
   * @param http the HTTP path the calls take ({@link Http}; {@code DIRECT} unless measuring)
   */
  public SubgraphClient(
      String name,
      String url,
      WebClient.Builder builder,
      SubgraphGuards guards,
      boolean dedupe,
      int maxResponseBytes,
      GatewayTelemetry telemetry,
      Http http) {
    this.name = name;
    this.direct =
        http == Http.DIRECT
            ? new DirectHttp(JSON, telemetry.observationRegistry(), maxResponseBytes)
            : null;
    this.telemetry = telemetry;
    this.instances = new SubgraphInstances(name, url);
    this.web =
        builder.clone().codecs(c -> c.defaultCodecs().maxInMemorySize(maxResponseBytes)).build();
    this.guards = guards;
    this.dedupe = dedupe;
    this.maxResponseBytes = maxResponseBytes;
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
    return telemetry.resumeUnderCaller(() -> shared(query, variables, authorization));
  }

  private CompletableFuture<Map<String, Object>> shared(
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
    // an unsampled request's call goes without spans (ADR 0016): no fetch or client observation
    GatewayTelemetry.Unsampled unsampled = direct != null ? telemetry.unsampled() : null;
    // the request's trace ids for the warnings below, written on whichever thread fails the call
    var caller = unsampled == null ? telemetry.currentObservation() : null;
    Mono<Map<String, Object>> call =
        direct != null
            ? directCall(query, variables, authorization, unsampled)
            : webClientCall(query, variables, authorization);
    Mono<Map<String, Object>> guarded =
        guards
            .guard(name, call)
            .onErrorResume(
                e -> {
                  String reason = SubgraphGuards.reason(e);
                  GatewayTelemetry.log(
                      GatewayTelemetry.traceIds(unsampled, caller),
                      () ->
                          log.warn("subgraph {} unavailable: {} ({})", name, reason, e.toString()));
                  return Mono.just(unavailable(name, reason));
                });
    return telemetry.fetch(name, query, variables, guarded, unsampled).toFuture();
  }

  /** The call on {@link DirectHttp}: the body encoded once, whichever instance it goes to. */
  private Mono<Map<String, Object>> directCall(
      String query,
      @Nullable Map<String, Object> variables,
      @Nullable String authorization,
      GatewayTelemetry.@Nullable Unsampled unsampled) {
    DirectHttp http = java.util.Objects.requireNonNull(direct);
    byte[] body = http.encode(query, variables);
    return instances
        .call(
            url -> http.post(url, body, authorization, unsampled, this::answer),
            !query.startsWith("mutation"))
        .onErrorResume(SubgraphClient::overLimit, e -> Mono.just(tooLarge()));
  }

  /**
   * The answer on the direct path, with the WebClient path's rules ({@link
   * #answer(ClientResponse)}): a 5xx fails the call, a 4xx that is no GraphQL response is this
   * request's error.
   */
  private Mono<Map<String, Object>> answer(int status, @Nullable Map<String, Object> body) {
    if (status >= 500) return Mono.error(new SubgraphGuards.SubgraphHttpException(status));
    if (body == null) return Mono.just(unavailable(name, "HTTP " + status));
    return Mono.just(body);
  }

  private Map<String, Object> tooLarge() {
    log.warn("subgraph {} answered more than {} bytes", name, maxResponseBytes);
    return tooLarge(name, maxResponseBytes);
  }

  private Mono<Map<String, Object>> webClientCall(
      String query, @Nullable Map<String, Object> variables, @Nullable String authorization) {
    Map<String, Object> body = new HashMap<>();
    body.put("query", query);
    body.put("variables", variables == null ? Map.of() : variables);
    return instances.call(
        url ->
            web.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .headers(
                    h -> {
                      if (authorization != null) h.set("Authorization", authorization);
                    })
                .bodyValue(body)
                .exchangeToMono(this::answer),
        !query.startsWith("mutation"));
  }

  /**
   * The subgraph's answer. Only a server error (5xx) fails the call, and with it the breaker's
   * count, as do timeouts and refused connections; an answer over the size limit or a 4xx that is
   * no GraphQL response is this request's error, returned as a value so the breaker never counts
   * it: one client's large page must not cut everyone off from the subgraph.
   */
  private Mono<Map<String, Object>> answer(ClientResponse r) {
    int status = r.statusCode().value();
    if (r.statusCode().is5xxServerError()) {
      return r.releaseBody().then(Mono.error(new SubgraphGuards.SubgraphHttpException(status)));
    }
    Mono<Map<String, Object>> body =
        r.bodyToMono(MAP)
            .defaultIfEmpty(Map.of())
            .onErrorResume(SubgraphClient::overLimit, e -> Mono.just(tooLarge()));
    if (r.statusCode().is4xxClientError()) {
      body =
          body.onErrorResume(
              e -> !overLimit(e), e -> Mono.just(unavailable(name, "HTTP " + status)));
    }
    return body;
  }

  private static boolean overLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataBufferLimitException) return true;
    }
    return false;
  }

  /**
   * Opens a subscription on this subgraph over graphql-ws (same URL, ws scheme), one WebSocket per
   * client subscription since the token travels in connection_init. Each event is a GraphQL
   * response map; a subgraph that cannot be reached or drops the connection ends the stream with
   * one SUBGRAPH_UNAVAILABLE response, and GraphQL errors it sends end it with those errors.
   */
  public Flux<Map<String, Object>> subscribe(
      String query, Map<String, Object> variables, String authorization) {
    URI ws = URI.create(instances.pick().replaceFirst("^http", "ws"));
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

  /** The response standing in for an answer over the size limit. */
  static Map<String, Object> tooLarge(String subgraph, int limit) {
    return failed(
        "Subgraph '" + subgraph + "' answered more than " + limit + " bytes; ask for smaller pages",
        Map.of("code", TOO_LARGE, "subgraph", subgraph, "limit", limit));
  }

  /** The response standing in for a failed call; the executor adds the client paths. */
  static Map<String, Object> unavailable(String subgraph, String reason) {
    return failed(
        "Subgraph '" + subgraph + "' is unavailable (" + reason + ")",
        Map.of("code", UNAVAILABLE, "subgraph", subgraph, "reason", reason));
  }

  private static Map<String, Object> failed(String message, Map<String, Object> extensions) {
    return Map.of("errors", List.of(Map.of("message", message, "extensions", extensions)));
  }
}
