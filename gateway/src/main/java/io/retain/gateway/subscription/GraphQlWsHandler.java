package io.retain.gateway.subscription;

import io.retain.gateway.GatewayProperties;
import io.retain.gateway.GatewayState;
import io.retain.gateway.execute.GatewayEngine;
import io.retain.gateway.limits.QueryLimits;
import io.retain.gateway.security.BearerTokenFilter;
import io.retain.gateway.security.EdgeSecurityProperties;
import io.retain.gateway.trusted.TrustedDocuments;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.ObjectMapper;

/**
 * The server side of the graphql-ws protocol. The token comes in the connection_init payload
 * ({@code {"Authorization": "Bearer …"}}, since browsers cannot set headers on a WebSocket) or in
 * the upgrade request's Authorization header; it is checked here and forwarded to the subgraphs.
 * Protocol violations close the socket with the protocol's codes (4400 bad message, 4401 subscribe
 * before ack, 4403 bad or missing token, 4408 no init in time, 4409 duplicate id, 4429 second
 * init).
 */
@Component
public class GraphQlWsHandler implements WebSocketHandler {

  static final String PROTOCOL = "graphql-transport-ws";
  private static final Logger log = LoggerFactory.getLogger(GraphQlWsHandler.class);

  private final GatewayState state;
  private final QueryLimits limits;
  private final ObjectMapper json;
  private final ReactiveJwtDecoder decoder;
  private final boolean requireToken;
  private final boolean introspection;
  private final Duration initTimeout;
  private final TrustedDocuments trusted;

  public GraphQlWsHandler(
      GatewayState state,
      QueryLimits limits,
      ObjectMapper json,
      EdgeSecurityProperties security,
      GatewayProperties props,
      TrustedDocuments trusted) {
    this.state = state;
    this.trusted = trusted;
    this.limits = limits;
    this.json = json;
    this.decoder = BearerTokenFilter.decoder(security);
    this.requireToken = security.requireToken();
    this.introspection = props.introspection();
    this.initTimeout = Duration.ofSeconds(10);
  }

  @Override
  public List<String> getSubProtocols() {
    return List.of(PROTOCOL);
  }

  /** One connection: its token, whether it was acknowledged, its running subscriptions. */
  private final class Connection {
    final WebSocketSession session;
    final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
    final Map<String, Disposable> running = new ConcurrentHashMap<>();
    volatile boolean initReceived;
    volatile boolean acknowledged;
    volatile String authorization;

    Connection(WebSocketSession session) {
      this.session = session;
      this.authorization =
          session.getHandshakeInfo().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    }

    synchronized void send(Map<String, Object> message) {
      out.tryEmitNext(json.writeValueAsString(message));
    }

    Mono<Void> close(int code, String reason) {
      return session.close(new CloseStatus(code, reason));
    }
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    Connection c = new Connection(session);
    Disposable initTimer =
        Mono.delay(initTimeout)
            .filter(t -> !c.initReceived)
            .flatMap(t -> c.close(4408, "Connection initialisation timeout"))
            .subscribe();
    Mono<Void> input =
        session
            .receive()
            .map(WebSocketMessage::getPayloadAsText)
            .concatMap(text -> onMessage(c, text))
            .then();
    Mono<Void> output = session.send(c.out.asFlux().map(session::textMessage));
    return Mono.firstWithSignal(input, output)
        .doFinally(
            s -> {
              initTimer.dispose();
              c.running.values().forEach(Disposable::dispose);
              c.out.tryEmitComplete();
            });
  }

  private Mono<Void> onMessage(Connection c, String text) {
    Map<?, ?> msg;
    try {
      msg = json.readValue(text, Map.class);
    } catch (Exception e) {
      return c.close(4400, "Invalid message: not a JSON object");
    }
    if (!(msg.get("type") instanceof String type)) {
      return c.close(4400, "Invalid message: no type");
    }
    return switch (type) {
      case "connection_init" -> init(c, msg.get("payload"));
      case "ping" -> {
        c.send(Map.of("type", "pong"));
        yield Mono.empty();
      }
      case "pong" -> Mono.empty();
      case "subscribe" -> subscribe(c, msg);
      case "complete" -> {
        if (msg.get("id") instanceof String id) {
          Disposable d = c.running.remove(id);
          if (d != null) d.dispose();
        }
        yield Mono.empty();
      }
      default -> c.close(4400, "Invalid message type '" + type + "'");
    };
  }

  private Mono<Void> init(Connection c, Object payload) {
    if (c.initReceived) return c.close(4429, "Too many initialisation requests");
    c.initReceived = true;
    if (payload instanceof Map<?, ?> p) {
      Object a = p.get("Authorization") != null ? p.get("Authorization") : p.get("authorization");
      if (a instanceof String s && !s.isBlank()) {
        c.authorization = s.regionMatches(true, 0, "Bearer ", 0, 7) ? s : "Bearer " + s;
      }
    }
    if (c.authorization == null) {
      if (requireToken) return c.close(4403, "Forbidden: a bearer token is required");
      return ack(c);
    }
    if (!c.authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return c.close(4403, "Forbidden: Authorization must be 'Bearer <token>'");
    }
    return decoder
        .decode(c.authorization.substring(7).trim())
        .flatMap(jwt -> ack(c))
        .onErrorResume(
            org.springframework.security.oauth2.jwt.JwtException.class,
            e -> {
              log.debug("Refused a bearer token on a WebSocket: {}", e.getMessage());
              return c.close(4403, "Forbidden: invalid or expired bearer token");
            });
  }

  private Mono<Void> ack(Connection c) {
    c.acknowledged = true;
    c.send(Map.of("type", "connection_ack"));
    return Mono.empty();
  }

  private Mono<Void> subscribe(Connection c, Map<?, ?> msg) {
    if (!c.acknowledged) return c.close(4401, "Unauthorized");
    if (!(msg.get("id") instanceof String id) || id.isEmpty()) {
      return c.close(4400, "Invalid message: subscribe needs an id");
    }
    if (!(msg.get("payload") instanceof Map<?, ?> payload)) {
      return c.close(4400, "Invalid message: subscribe needs payload.query");
    }
    // the same document rules as over HTTP: a persisted query's hash, or a trusted document only
    TrustedDocuments.Resolution resolved =
        trusted.resolve(payload.get("query"), payload.get("extensions"));
    if (resolved instanceof TrustedDocuments.Refused no) {
      if (no.badRequest()) return c.close(4400, "Invalid message: " + no.message());
      return error(c, id, Map.of("message", no.message(), "extensions", Map.of("code", no.code())));
    }
    String query = ((TrustedDocuments.Run) resolved).query();
    if (c.running.containsKey(id)) return c.close(4409, "Subscriber for " + id + " already exists");
    String opName = payload.get("operationName") instanceof String s ? s : null;
    @SuppressWarnings("unchecked")
    Map<String, Object> vars =
        payload.get("variables") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
    GatewayEngine engine = state.engine();
    var violation = limits.check(query, opName, vars, engine == null ? null : engine.schema());
    if (violation.isPresent()) {
      var v = violation.get();
      return error(
          c,
          id,
          Map.of(
              "message",
              v.message(),
              "extensions",
              Map.of("code", v.code(), "limit", v.limit(), "actual", v.actual())));
    }
    if (engine == null) {
      return error(
          c,
          id,
          Map.of(
              "message",
              "supergraph not loaded yet",
              "extensions",
              Map.of("code", "SUPERGRAPH_NOT_LOADED")));
    }
    Flux<Map<String, Object>> results =
        engine.stream(query, opName, vars, c.authorization, introspection);
    c.running.put(
        id,
        results.subscribe(
            r -> {
              if (!r.containsKey("data") && r.get("errors") instanceof List<?> errors) {
                // a request error (e.g. validation): the operation never ran
                c.send(Map.of("id", id, "type", "error", "payload", errors));
                c.running.remove(id);
              } else {
                c.send(Map.of("id", id, "type", "next", "payload", r));
              }
            },
            e -> {
              log.warn("subscription {} failed", id, e);
              c.send(
                  Map.of(
                      "id",
                      id,
                      "type",
                      "error",
                      "payload",
                      List.of(Map.of("message", "subscription failed"))));
              c.running.remove(id);
            },
            () -> {
              if (c.running.remove(id) != null) c.send(Map.of("id", id, "type", "complete"));
            }));
    return Mono.empty();
  }

  private Mono<Void> error(Connection c, String id, Map<String, Object> error) {
    c.send(Map.of("id", id, "type", "error", "payload", List.of(error)));
    return Mono.empty();
  }
}
