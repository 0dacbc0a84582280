package io.retain.gateway.testsubgraph;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test subgraph that also serves subscriptions: graphql-ws (written here independently of the
 * gateway's server side) on the same URL as its HTTP endpoint, which it forwards to a {@link
 * TestSubgraph} holding the schema and fetchers.
 */
public final class WsTestSubgraph implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public final TestSubgraph inner;

  /** connection_init payloads received, in order. */
  public final List<Object> initPayloads = new CopyOnWriteArrayList<>();

  /** Subscription documents received, in order. */
  public final List<String> subscriptions = new CopyOnWriteArrayList<>();

  private final DisposableServer server;
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  public WsTestSubgraph(TestSubgraph inner) {
    this.inner = inner;
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                r ->
                    r.ws(
                            "/graphql",
                            this::socket,
                            WebsocketServerSpec.builder().protocols("graphql-transport-ws").build())
                        .post(
                            "/graphql",
                            (req, res) ->
                                req.receive()
                                    .aggregate()
                                    .asByteArray()
                                    .flatMap(this::forward)
                                    .flatMap(
                                        body ->
                                            res.header("Content-Type", "application/json")
                                                .sendByteArray(Mono.just(body))
                                                .then())))
            .bindNow();
  }

  public String url() {
    return "http://127.0.0.1:" + server.port() + "/graphql";
  }

  private Mono<byte[]> forward(byte[] body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(inner.url()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return Mono.fromFuture(http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()))
        .map(HttpResponse::body);
  }

  private Publisher<Void> socket(WebsocketInbound in, WebsocketOutbound out) {
    Sinks.Many<String> replies = Sinks.many().unicast().onBackpressureBuffer();
    Map<String, Disposable> running = new ConcurrentHashMap<>();
    in.receive()
        .asString()
        .subscribe(
            text -> {
              Map<?, ?> msg = JSON.readValue(text, Map.class);
              String id = (String) msg.get("id");
              switch ((String) msg.get("type")) {
                case "connection_init" -> {
                  initPayloads.add(msg.get("payload"));
                  emit(replies, Map.of("type", "connection_ack"));
                }
                case "subscribe" -> {
                  Map<?, ?> p = (Map<?, ?>) msg.get("payload");
                  subscriptions.add((String) p.get("query"));
                  @SuppressWarnings("unchecked")
                  Map<String, Object> vars =
                      p.get("variables") == null
                          ? Map.of()
                          : (Map<String, Object>) p.get("variables");
                  ExecutionResult r =
                      inner
                          .graphql()
                          .execute(
                              ExecutionInput.newExecutionInput()
                                  .query((String) p.get("query"))
                                  .variables(vars)
                                  .build());
                  if (!(r.getData() instanceof Publisher<?> events)) {
                    emit(replies, Map.of("id", id, "type", "error", "payload", r.getErrors()));
                    return;
                  }
                  running.put(
                      id,
                      Flux.from(events)
                          .subscribe(
                              e ->
                                  emit(
                                      replies,
                                      Map.of(
                                          "id",
                                          id,
                                          "type",
                                          "next",
                                          "payload",
                                          ((ExecutionResult) e).toSpecification())),
                              err -> {},
                              () -> emit(replies, Map.of("id", id, "type", "complete"))));
                }
                case "complete" -> {
                  Disposable d = running.remove(id);
                  if (d != null) d.dispose();
                }
                default -> {}
              }
            },
            err -> {},
            () -> running.values().forEach(Disposable::dispose));
    return out.sendString(replies.asFlux());
  }

  private static synchronized void emit(Sinks.Many<String> sink, Map<String, Object> message) {
    sink.tryEmitNext(JSON.writeValueAsString(message));
  }

  /** Closes the port: open subscriptions drop, as when the process stops. */
  @Override
  public void close() {
    server.disposeNow();
    inner.close();
  }
}
