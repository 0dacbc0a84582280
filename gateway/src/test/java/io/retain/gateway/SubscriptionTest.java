package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import io.retain.gateway.testsubgraph.WsTestSubgraph;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Subscriptions over graphql-ws at the gateway, with a real WebSocket client: forwarded to the
 * subgraph owning the root field (token in connection_init passed on), and each event's fields
 * owned by another subgraph resolved through one {@code _entities} request per event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SubscriptionTest {

  static final WsTestSubgraph EVENTS =
      new WsTestSubgraph(
          FederationGatewayTest.start(
                  """
                  type Query { eventsVersion: String }
                  type Subscription {
                    "Warnings as they are raised."
                    warningRaised(minSeverity: String): Warning!
                  }
                  type Warning { seq: Int!  severity: String!  customer: Customer! }
                  type Customer @key(fields: "id") { id: ID! }
                  """)
              .fetch(
                  "Subscription",
                  "warningRaised",
                  e ->
                      Flux.range(1, 3)
                          .map(
                              i ->
                                  Map.of(
                                      "seq",
                                      i,
                                      "severity",
                                      String.valueOf(e.<String>getArgument("minSeverity")),
                                      "customer",
                                      Map.of("id", "C00" + i))))
              .entities((type, rep) -> rep));

  static final TestSubgraph PROFILES =
      FederationGatewayTest.start(
              """
              type Query { customer(id: ID!): Customer }
              type Customer @key(fields: "id") { id: ID!  name: String! }
              """)
          .entities((type, rep) -> Map.of("name", "Name of " + rep.get("id")));

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("profiles", PROFILES));
    r.add("retain.gateway.subgraphs.events", EVENTS::url);
  }

  @AfterAll
  static void close() {
    EVENTS.close();
    PROFILES.close();
  }

  @LocalServerPort int port;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() throws InterruptedException {
    GatewayTests.awaitSupergraph(state);
    PROFILES.received.clear();
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/graphql");
  }

  WebSocketGraphQlClient client(Map<String, Object> initPayload) {
    return WebSocketGraphQlClient.builder(ws(), new ReactorNettyWebSocketClient())
        .interceptor(
            new WebSocketGraphQlClientInterceptor() {
              @Override
              public Mono<Object> connectionInitPayload() {
                return Mono.just(initPayload);
              }
            })
        .build();
  }

  @Test
  void eventsComeFromTheOwningSubgraphWithEntityFieldsResolvedPerEvent() {
    WebSocketGraphQlClient client =
        client(Map.of("Authorization", "Bearer " + FederationGatewayTest.TOKEN));
    List<Map<String, Object>> events =
        client
            .document(
                "subscription Watch($s: String) { warningRaised(minSeverity: $s) {"
                    + " seq severity customer { id name } } }")
            .variable("s", "HIGH")
            .executeSubscription()
            .map(ClientGraphQlResponse::toMap)
            .collectList()
            .block(Duration.ofSeconds(30));
    client.stop().block();

    assertThat(events)
        .containsExactly(
            event(1, "C001"), event(2, "C002"), event(3, "C003")); // in order, then complete
    assertThat(PROFILES.count("_entities")).as("one _entities request per event").isEqualTo(3);
    assertThat(EVENTS.initPayloads)
        .as("the client's token travels on to the subgraph")
        .contains(Map.of("Authorization", "Bearer " + FederationGatewayTest.TOKEN));
    assertThat(EVENTS.subscriptions.get(EVENTS.subscriptions.size() - 1))
        .startsWith("subscription($s:String)")
        .contains("warningRaised(minSeverity:$s)")
        .doesNotContainPattern("[{ ]name[} ]");
  }

  static Map<String, Object> event(int seq, String id) {
    return Map.of(
        "data",
        Map.of(
            "warningRaised",
            Map.of(
                "seq",
                seq,
                "severity",
                "HIGH",
                "customer",
                Map.of("id", id, "name", "Name of " + id))));
  }

  @Test
  void anInvalidDocumentGetsAnErrorMessageNotAStream() {
    WebSocketGraphQlClient client = client(Map.of());
    Throwable error =
        client
            .document("subscription { warningRaised { noSuchField } }")
            .executeSubscription()
            .then()
            .flatMap(v -> Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(Duration.ofSeconds(10));
    client.stop().block();
    assertThat(error)
        .isInstanceOf(org.springframework.graphql.client.SubscriptionErrorException.class);
    assertThat(
            ((org.springframework.graphql.client.SubscriptionErrorException) error)
                .getErrors()
                .get(0)
                .getMessage())
        .contains("noSuchField");
  }

  @Test
  void protocolViolationsCloseTheSocketWithTheProtocolsCodes() {
    assertThat(
            closeAfter(
                List.of(
                    "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"subscription { warningRaised { seq } }\"}}")))
        .as("subscribe before connection_init")
        .isEqualTo(4401);
    assertThat(
            closeAfter(
                List.of(
                    "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer forged\"}}")))
        .as("a token that does not verify")
        .isEqualTo(4403);
    assertThat(
            closeAfter(List.of("{\"type\":\"connection_init\"}", "{\"type\":\"connection_init\"}")))
        .as("a second connection_init")
        .isEqualTo(4429);
    assertThat(closeAfter(List.of("not json"))).as("not a message").isEqualTo(4400);
  }

  /** Sends raw frames and returns the close code the gateway answers with. */
  int closeAfter(List<String> frames) {
    AtomicReference<CloseStatus> status = new AtomicReference<>();
    WebSocketHandler handler =
        new WebSocketHandler() {
          @Override
          public List<String> getSubProtocols() {
            return List.of("graphql-transport-ws");
          }

          @Override
          public Mono<Void> handle(WebSocketSession session) {
            return session
                .send(Flux.fromIterable(frames).map(session::textMessage))
                .thenMany(session.receive())
                .then()
                .and(session.closeStatus().doOnNext(status::set));
          }
        };
    new ReactorNettyWebSocketClient()
        .execute(ws(), new HttpHeaders(), handler)
        .block(Duration.ofSeconds(10));
    return status.get() == null ? -1 : status.get().getCode();
  }
}
