package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Cross-request {@code _entities} batching (ADR 0017): different requests' entity fetches to the
 * same subgraph, with the same document and token, go as one call while the lane is busy; each
 * client still gets exactly its own entities and its own errors, and requests with different tokens
 * never share a call.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "retain.gateway.entity-batch-in-flight=1")
class EntityBatchingTest {

  static final TestSubgraph PEOPLE =
      FederationGatewayTest.start(
              """
              type Query { person(id: ID!): Person }
              type Person @key(fields: "id") { id: ID!  name: String! }
              """)
          .fetch(
              "Query",
              "person",
              e -> Map.of("id", e.getArgument("id"), "name", "Person " + e.getArgument("id")));

  static final TestSubgraph DETAILS =
      FederationGatewayTest.start(
              """
              type Query { detailsVersion: Int }
              type Person @key(fields: "id") { id: ID!  score: Int  fetchedWith: String }
              """)
          .entities((type, rep) -> Map.of())
          .fetch(
              "Person",
              "score",
              e -> {
                String id = (String) ((Map<?, ?>) e.getSource()).get("id");
                if (id.equals("p3")) throw new IllegalStateException("no score for p3");
                return Integer.parseInt(id.substring(1)) * 10;
              })
          .fetch(
              "Person",
              "fetchedWith",
              e -> {
                String auth = e.getGraphQlContext().get(TestSubgraph.AUTHORIZATION);
                return auth.substring(auth.length() - 8);
              });

  @DynamicPropertySource
  static void subgraphs(DynamicPropertyRegistry r) {
    GatewayTests.federate(r, Map.of("people", PEOPLE, "details", DETAILS));
  }

  @AfterAll
  static void close() {
    PEOPLE.close();
    DETAILS.close();
  }

  @LocalServerPort int port;
  @Autowired GatewayState state;

  @BeforeEach
  void awaitSupergraph() {
    GatewayTests.awaitSupergraph(state);
    DETAILS.delay(Duration.ZERO);
    eightPeople(true); // documents parsed and planned: the requests below reach the lane together
    // the first entity call is still out when the other requests' fetches arrive: they queue
    DETAILS.delay(Duration.ofMillis(1000));
    DETAILS.received.clear();
    DETAILS.receivedVariables.clear();
  }

  static final String OTHER = FederationGatewayTest.token("someone-else");

  /** Eight requests at once for p0 … p7; odd ones with another user's token when asked. */
  List<Map<?, ?>> eightPeople(boolean twoUsers) {
    return eightRequests(twoUsers, i -> i);
  }

  /** Eight requests at once, the i-th for person {@code person(i)}. */
  List<Map<?, ?>> eightRequests(boolean twoUsers, java.util.function.IntUnaryOperator person) {
    WebClient web = WebClient.create("http://127.0.0.1:" + port);
    return Flux.range(0, 8)
        .flatMapSequential(
            i ->
                web.post()
                    .uri("/graphql")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(
                        "Authorization",
                        "Bearer " + (twoUsers && i % 2 == 1 ? OTHER : FederationGatewayTest.TOKEN))
                    .bodyValue(
                        Map.of(
                            "query",
                            "{ person(id: \"p"
                                + person.applyAsInt(i)
                                + "\") { name score fetchedWith } }"))
                    .retrieve()
                    .bodyToMono(Map.class),
            8)
        .<Map<?, ?>>map(m -> m)
        .collectList()
        .block(Duration.ofSeconds(20));
  }

  static String tail(String token) {
    return token.substring(token.length() - 8);
  }

  @Test
  void concurrentRequestsShareEntityCallsAndEachGetsItsOwnEntitiesAndErrors() {
    List<Map<?, ?>> answers = eightPeople(false);

    // one call alone, then the seven that queued behind it as one
    assertThat(DETAILS.count("_entities")).isEqualTo(2);
    for (int i = 0; i < 8; i++) {
      Map<?, ?> person = (Map<?, ?>) ((Map<?, ?>) answers.get(i).get("data")).get("person");
      assertThat(person.get("name")).isEqualTo("Person p" + i);
      assertThat(person.get("fetchedWith")).isEqualTo(tail(FederationGatewayTest.TOKEN));
      if (i == 3) {
        assertThat(person.get("score")).isNull();
        List<?> errors = (List<?>) answers.get(i).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(((Map<?, ?>) errors.get(0)).get("path")).isEqualTo(List.of("person", "score"));
      } else {
        assertThat(person.get("score")).isEqualTo(i * 10);
        assertThat(answers.get(i).get("errors")).as("errors of p" + i).isNull();
      }
    }
  }

  @Test
  void requestsWithAnotherTokenNeverShareACall() {
    List<Map<?, ?>> answers = eightPeople(true);

    // per token: one call alone, then its three others as one
    assertThat(DETAILS.count("_entities")).isEqualTo(4);
    for (int i = 0; i < 8; i++) {
      Map<?, ?> person = (Map<?, ?>) ((Map<?, ?>) answers.get(i).get("data")).get("person");
      assertThat(person.get("name")).isEqualTo("Person p" + i);
      assertThat(person.get("fetchedWith"))
          .as("the token that fetched p" + i)
          .isEqualTo(tail(i % 2 == 1 ? OTHER : FederationGatewayTest.TOKEN));
    }
  }

  @Test
  void identicalRequestsJoinOneAnotherInsteadOfRepeatingTheirEntities() {
    // p0 and p1 four times each: the gateway plans the same _entities fetch for each copy
    List<Map<?, ?>> answers = eightRequests(false, i -> i % 2);

    // one call alone; the copies of its request join it, the other person's requests join the
    // first of them to queue: one more call, with that one representation, not seven
    assertThat(DETAILS.count("_entities")).isEqualTo(2);
    List<Integer> representations =
        DETAILS.receivedVariables.stream()
            .map(
                v -> v.values().stream().mapToInt(x -> x instanceof List<?> l ? l.size() : 0).sum())
            .toList();
    assertThat(representations).containsExactly(1, 1);
    for (int i = 0; i < 8; i++) {
      Map<?, ?> person = (Map<?, ?>) ((Map<?, ?>) answers.get(i).get("data")).get("person");
      assertThat(person.get("name")).isEqualTo("Person p" + i % 2);
      assertThat(person.get("score")).isEqualTo(i % 2 * 10);
    }
  }
}
